package dev.tpo.cli;

import dev.tpo.model.TokenIds;
import dev.tpo.model.tokenizer.ModelTokenizer;
import dev.tpo.train.TextEncoder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Text-form training data through the model folder's own tokenizer; absent when the folder has none. */
final class TokenizerTextEncoder implements TextEncoder, AutoCloseable {
    private final ModelTokenizer tokenizer;
    private final int eos;

    private TokenizerTextEncoder(ModelTokenizer tokenizer, int eos) {
        this.tokenizer = tokenizer;
        this.eos = eos;
    }

    /** The encoder for {@code modelDir}, or null when it has no tokenizer.json (id-form data still works). */
    static TokenizerTextEncoder openIfPresent(Path modelDir) {
        if (!Files.isRegularFile(modelDir.resolve(ModelTokenizer.TOKENIZER_JSON))) {
            return null;
        }
        ModelTokenizer tokenizer = ModelTokenizer.open(modelDir);
        List<Long> eos = tokenizer.eosTokenIds();
        if (eos.isEmpty()) {
            tokenizer.close();
            throw new UsageException(modelDir + ": the tokenizer names no end-of-sequence token, so text "
                    + "completions cannot be closed");
        }
        return new TokenizerTextEncoder(tokenizer, Math.toIntExact(eos.get(0)));
    }

    @Override
    public int[] prompt(String chatFormattedPrompt) {
        // Already rendered by the chat template: its special tokens are in the text, so none are added.
        return TokenIds.toInts(tokenizer.encode(chatFormattedPrompt, false));
    }

    @Override
    public int[] completion(String text) {
        int[] body = TokenIds.toInts(tokenizer.encode(text, false));
        int[] out = java.util.Arrays.copyOf(body, body.length + 1);
        out[body.length] = eos;
        return out;
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
