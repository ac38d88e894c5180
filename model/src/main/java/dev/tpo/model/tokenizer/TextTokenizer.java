package dev.tpo.model.tokenizer;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/**
 * Text to ids and back through the Rust tokenizers library (via DJL) reading a tokenizer.json.
 *
 * <p>Never truncates or pads: DJL defaults to truncating at 512 tokens, which would silently cut training
 * sequences, so both are switched off here and sequence length is the caller's business.
 */
public final class TextTokenizer implements AutoCloseable {

    private final Path tokenizerJson;
    private final HuggingFaceTokenizer tokenizer;
    private final Map<String, Long> tokenToId;
    private final Map<Long, String> idToToken;

    private TextTokenizer(
            Path tokenizerJson,
            HuggingFaceTokenizer tokenizer,
            Map<String, Long> tokenToId,
            Map<Long, String> idToToken) {
        this.tokenizerJson = tokenizerJson;
        this.tokenizer = tokenizer;
        this.tokenToId = tokenToId;
        this.idToToken = idToToken;
    }

    /** Loads {@code tokenizerJson} (a tokenizer.json file written by Hugging Face tokenizers). */
    public static TextTokenizer open(Path tokenizerJson) {
        if (!Files.isRegularFile(tokenizerJson)) {
            throw new TokenizerException("tokenizer file not found: " + tokenizerJson);
        }
        Map<String, Long> tokenToId = new HashMap<>();
        Map<Long, String> idToToken = new HashMap<>();
        readVocabulary(tokenizerJson, tokenToId, idToToken);
        HuggingFaceTokenizer tokenizer;
        try {
            tokenizer = HuggingFaceTokenizer.builder()
                    .optTokenizerPath(tokenizerJson)
                    .optTruncation(false)
                    .optPadding(false)
                    .optAddSpecialTokens(true)
                    .build();
        } catch (IOException | RuntimeException e) {
            throw new TokenizerException("cannot load tokenizer " + tokenizerJson + ": " + e.getMessage(), e);
        }
        return new TextTokenizer(tokenizerJson, tokenizer, Map.copyOf(tokenToId), Map.copyOf(idToToken));
    }

    /**
     * Token ids of {@code text}; {@code addSpecialTokens} runs the tokenizer.json post-processor (which adds
     * BOS for Llama 3, nothing for Qwen).
     */
    public long[] encode(String text, boolean addSpecialTokens) {
        Encoding encoding = tokenizer.encode(text, addSpecialTokens, false);
        return encoding.getIds();
    }

    public String decode(long[] ids, boolean skipSpecialTokens) {
        return tokenizer.decode(ids, skipSpecialTokens);
    }

    public Optional<Long> tokenToId(String token) {
        return Optional.ofNullable(tokenToId.get(token));
    }

    public Optional<String> idToToken(long id) {
        return Optional.ofNullable(idToToken.get(id));
    }

    /** Number of distinct ids: model vocabulary plus added tokens (what {@code len(tokenizer)} reports). */
    public int vocabSize() {
        return idToToken.size();
    }

    public Path tokenizerJson() {
        return tokenizerJson;
    }

    @Override
    public void close() {
        tokenizer.close();
    }

    // DJL exposes no vocabulary lookup, so it is read from the same tokenizer.json the native side uses.
    private static void readVocabulary(Path file, Map<String, Long> tokenToId, Map<Long, String> idToToken) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new TokenizerException(file + " is not a readable tokenizer.json: " + e.getMessage(), e);
        }
        JsonNode vocab = root.path("model").path("vocab");
        if (vocab.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = vocab.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                put(tokenToId, idToToken, entry.getKey(), entry.getValue().asLong());
            }
        } else if (vocab.isArray()) {
            // Unigram models list [piece, score] pairs; the id is the position.
            long id = 0;
            for (JsonNode pair : vocab) {
                put(tokenToId, idToToken, pair.path(0).asText(), id++);
            }
        } else {
            throw new TokenizerException(file + ": model.vocab is missing or neither an object nor a list");
        }
        for (JsonNode added : root.path("added_tokens")) {
            if (!added.path("content").isTextual() || !added.path("id").isIntegralNumber()) {
                throw new TokenizerException(file + ": added_tokens entries need a string content and an integer id");
            }
            put(
                    tokenToId,
                    idToToken,
                    added.get("content").asText(),
                    added.get("id").asLong());
        }
    }

    private static void put(Map<String, Long> tokenToId, Map<Long, String> idToToken, String token, long id) {
        tokenToId.put(token, id);
        idToToken.put(id, token);
    }
}
