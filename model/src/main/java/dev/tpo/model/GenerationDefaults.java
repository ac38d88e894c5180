package dev.tpo.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The end-of-sequence ids generation stops at when the caller gives none: config.json's eos_token_id plus
 * generation_config.json's (which transformers' generate reads), so id-only folders without a tokenizer work too.
 */
public final class GenerationDefaults {
    private static final ObjectMapper JSON = new ObjectMapper();

    private GenerationDefaults() {}

    public static Set<Integer> eosTokenIds(Path modelDir, ModelConfig config) {
        Set<Integer> ids = new LinkedHashSet<>(config.eosTokenIds());
        Path file = modelDir.resolve("generation_config.json");
        if (Files.isRegularFile(file)) {
            JsonNode eos;
            try {
                eos = JSON.readTree(file.toFile()).get("eos_token_id");
            } catch (IOException e) {
                throw new InvalidModelException(file + ": not valid JSON");
            }
            if (eos != null && eos.isIntegralNumber()) {
                ids.add(eos.asInt());
            } else if (eos != null && eos.isArray()) {
                eos.forEach(e -> ids.add(e.asInt()));
            }
        }
        return ids;
    }
}
