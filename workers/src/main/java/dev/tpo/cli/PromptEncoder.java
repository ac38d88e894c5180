package dev.tpo.cli;

import dev.tpo.model.TokenIds;
import dev.tpo.model.tokenizer.ChatMessage;
import dev.tpo.model.tokenizer.ModelTokenizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns the text forms of CLI input into token ids: a "prompt" (one user turn) or "messages" go through the
 * folder's chat template with the generation prompt, unless there is no template or raw prompts were asked for;
 * completions are tokenized without special tokens. Opens the tokenizer only when a text line needs it.
 */
final class PromptEncoder implements AutoCloseable {
    private final Path modelDir;
    private final boolean raw;
    private ModelTokenizer tokenizer;

    PromptEncoder(Path modelDir, boolean raw) {
        this.modelDir = modelDir;
        this.raw = raw;
    }

    ModelTokenizer tokenizer() {
        if (tokenizer == null) {
            tokenizer = ModelTokenizer.open(modelDir);
        }
        return tokenizer;
    }

    int[] prompt(Jsonl.Line line) {
        List<ChatMessage> messages = new ArrayList<>();
        if (line.json().has("messages")) {
            for (var m : line.json().get("messages")) {
                if (!m.path("role").isTextual() || !m.path("content").isTextual()) {
                    throw line.error("each message needs string fields 'role' and 'content'");
                }
                messages.add(
                        new ChatMessage(m.get("role").asText(), m.get("content").asText()));
            }
        } else {
            messages.add(ChatMessage.user(line.text("prompt")));
        }
        ModelTokenizer t = tokenizer();
        if (raw || !t.hasChatTemplate()) {
            if (messages.size() != 1) {
                throw line.error("'messages' needs a chat template, and " + modelDir + " has none");
            }
            return TokenIds.toInts(t.encode(messages.get(0).content(), true));
        }
        return TokenIds.toInts(t.encodeChat(messages, true));
    }

    int[] completion(String text) {
        return TokenIds.toInts(tokenizer().encode(text, false));
    }

    String decode(int[] ids) {
        long[] longs = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            longs[i] = ids[i];
        }
        return tokenizer().decode(longs, true);
    }

    @Override
    public void close() {
        if (tokenizer != null) {
            tokenizer.close();
        }
    }
}
