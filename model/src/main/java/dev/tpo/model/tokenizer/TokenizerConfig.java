package dev.tpo.model.tokenizer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The parts of a Hugging Face model folder's tokenizer metadata this project needs, merged the way
 * transformers merges them: tokenizer_config.json first, special_tokens_map.json overriding the special
 * tokens, chat_template.jinja / chat_template.json overriding the template, and generation_config.json
 * contributing the extra end-of-sequence ids generation stops on.
 *
 * @param chatTemplate Jinja chat template source, or null when the folder has none
 * @param bosToken text of the beginning-of-sequence token, or null
 * @param eosToken text of the end-of-sequence token, or null
 * @param padToken text of the padding token, or null
 * @param unkToken text of the unknown token, or null
 * @param additionalSpecialTokens additional_special_tokens, in file order
 * @param addBosToken add_bos_token when the file states it; empty means the tokenizer.json post-processor decides
 * @param addEosToken add_eos_token when the file states it
 * @param modelMaxLength model_max_length, clamped to Long.MAX_VALUE (transformers writes 1e30 for "unbounded")
 * @param generationEosTokenIds eos_token_id of generation_config.json (an int or a list there), empty if absent
 * @param generationPadTokenId pad_token_id of generation_config.json, if present
 */
public record TokenizerConfig(
        String chatTemplate,
        String bosToken,
        String eosToken,
        String padToken,
        String unkToken,
        List<String> additionalSpecialTokens,
        Optional<Boolean> addBosToken,
        Optional<Boolean> addEosToken,
        long modelMaxLength,
        List<Long> generationEosTokenIds,
        Optional<Long> generationPadTokenId) {

    public static final String TOKENIZER_CONFIG = "tokenizer_config.json";
    public static final String SPECIAL_TOKENS_MAP = "special_tokens_map.json";
    public static final String GENERATION_CONFIG = "generation_config.json";
    public static final String CHAT_TEMPLATE_JINJA = "chat_template.jinja";
    public static final String CHAT_TEMPLATE_JSON = "chat_template.json";

    private static final List<String> TOKEN_KEYS = List.of("bos_token", "eos_token", "pad_token", "unk_token");

    public TokenizerConfig {
        additionalSpecialTokens = List.copyOf(additionalSpecialTokens);
        generationEosTokenIds = List.copyOf(generationEosTokenIds);
    }

    /** Reads the metadata files of {@code modelDir}; every one of them is optional. */
    public static TokenizerConfig load(Path modelDir) {
        ObjectMapper mapper = new ObjectMapper();
        Optional<JsonNode> config = readObject(mapper, modelDir.resolve(TOKENIZER_CONFIG));
        Optional<JsonNode> specialMap = readObject(mapper, modelDir.resolve(SPECIAL_TOKENS_MAP));
        Optional<JsonNode> generation = readObject(mapper, modelDir.resolve(GENERATION_CONFIG));

        Map<String, String> tokens = new LinkedHashMap<>();
        for (String key : TOKEN_KEYS) {
            Path configFile = modelDir.resolve(TOKENIZER_CONFIG);
            String value =
                    config.map(c -> tokenText(c.get(key), configFile, key)).orElse(null);
            // transformers lets special_tokens_map.json override what tokenizer_config.json says.
            Path mapFile = modelDir.resolve(SPECIAL_TOKENS_MAP);
            String mapped =
                    specialMap.map(m -> tokenText(m.get(key), mapFile, key)).orElse(null);
            tokens.put(key, mapped != null ? mapped : value);
        }

        List<String> additional = new ArrayList<>();
        Optional<JsonNode> additionalSource =
                specialMap.filter(m -> m.has("additional_special_tokens")).or(() -> config);
        Path additionalFile = modelDir.resolve(
                specialMap.filter(m -> m.has("additional_special_tokens")).isPresent()
                        ? SPECIAL_TOKENS_MAP
                        : TOKENIZER_CONFIG);
        additionalSource
                .map(n -> n.get("additional_special_tokens"))
                .filter(n -> !n.isNull())
                .ifPresent(list -> {
                    if (!list.isArray()) {
                        throw malformed(additionalFile, "additional_special_tokens must be a list");
                    }
                    for (JsonNode token : list) {
                        additional.add(tokenText(token, additionalFile, "additional_special_tokens[]"));
                    }
                });

        Path configFile = modelDir.resolve(TOKENIZER_CONFIG);
        return new TokenizerConfig(
                chatTemplate(mapper, modelDir, config),
                tokens.get("bos_token"),
                tokens.get("eos_token"),
                tokens.get("pad_token"),
                tokens.get("unk_token"),
                additional,
                config.flatMap(c -> optionalBoolean(c, "add_bos_token", configFile)),
                config.flatMap(c -> optionalBoolean(c, "add_eos_token", configFile)),
                config.map(c -> maxLength(c.get("model_max_length"), configFile))
                        .orElse(Long.MAX_VALUE),
                generation
                        .map(g -> idList(g.get("eos_token_id"), modelDir.resolve(GENERATION_CONFIG)))
                        .orElse(List.of()),
                generation.flatMap(g -> optionalId(g.get("pad_token_id"), modelDir.resolve(GENERATION_CONFIG))));
    }

    /**
     * The special-token variables transformers hands every chat template (its special_tokens_map):
     * absent tokens are left out so that {@code bos_token is defined} behaves as in Python.
     */
    public Map<String, Object> templateVariables() {
        Map<String, Object> vars = new LinkedHashMap<>();
        putIfPresent(vars, "bos_token", bosToken);
        putIfPresent(vars, "eos_token", eosToken);
        putIfPresent(vars, "pad_token", padToken);
        putIfPresent(vars, "unk_token", unkToken);
        if (!additionalSpecialTokens.isEmpty()) {
            vars.put("additional_special_tokens", additionalSpecialTokens);
        }
        return vars;
    }

    private static void putIfPresent(Map<String, Object> vars, String key, String value) {
        if (value != null) {
            vars.put(key, value);
        }
    }

    private static String chatTemplate(ObjectMapper mapper, Path modelDir, Optional<JsonNode> config) {
        // Newer transformers save the template beside the config and prefer those files over the config key.
        Path jinja = modelDir.resolve(CHAT_TEMPLATE_JINJA);
        if (Files.isRegularFile(jinja)) {
            try {
                return Files.readString(jinja, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new TokenizerException("cannot read " + jinja + ": " + e.getMessage(), e);
            }
        }
        Path json = modelDir.resolve(CHAT_TEMPLATE_JSON);
        Optional<JsonNode> jsonTemplate = readObject(mapper, json);
        if (jsonTemplate.isPresent() && jsonTemplate.get().has("chat_template")) {
            return templateText(jsonTemplate.get().get("chat_template"), json);
        }
        return config.map(c -> templateText(c.get("chat_template"), modelDir.resolve(TOKENIZER_CONFIG)))
                .orElse(null);
    }

    private static String templateText(JsonNode node, Path file) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isTextual()) {
            return node.asText();
        }
        if (node.isArray()) {
            // The list form holds named templates ("default", "tool_use", "rag"); chat uses "default" as transformers
            // does.
            List<String> names = new ArrayList<>();
            for (JsonNode entry : node) {
                JsonNode name = entry.get("name");
                JsonNode template = entry.get("template");
                if (name == null || !name.isTextual() || template == null || !template.isTextual()) {
                    throw malformed(
                            file, "chat_template list entries must be {\"name\": string, \"template\": string}");
                }
                if (name.asText().equals("default")) {
                    return template.asText();
                }
                names.add(name.asText());
            }
            throw malformed(file, "chat_template lists named templates " + names + " but none is named \"default\"");
        }
        throw malformed(
                file, "chat_template must be a string or a list of named templates, found " + node.getNodeType());
    }

    private static String tokenText(JsonNode node, Path file, String key) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isTextual()) {
            return node.asText();
        }
        if (node.isObject()) {
            JsonNode content = node.get("content");
            if (content != null && content.isTextual()) {
                return content.asText();
            }
            throw malformed(file, key + " is an object without a string \"content\" (expected an AddedToken)");
        }
        throw malformed(file, key + " must be a string or an AddedToken object, found " + node.getNodeType());
    }

    private static Optional<Boolean> optionalBoolean(JsonNode config, String key, Path file) {
        JsonNode node = config.get(key);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isBoolean()) {
            throw malformed(file, key + " must be true or false, found " + node);
        }
        return Optional.of(node.asBoolean());
    }

    private static long maxLength(JsonNode node, Path file) {
        if (node == null || node.isNull()) {
            return Long.MAX_VALUE;
        }
        if (!node.isNumber()) {
            throw malformed(file, "model_max_length must be a number, found " + node);
        }
        BigInteger value = node.isIntegralNumber()
                ? node.bigIntegerValue()
                : node.decimalValue().toBigInteger();
        if (value.signum() <= 0) {
            throw malformed(file, "model_max_length must be positive, found " + node);
        }
        return value.bitLength() < 64 ? value.longValue() : Long.MAX_VALUE;
    }

    private static List<Long> idList(JsonNode node, Path file) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (node.isIntegralNumber()) {
            return List.of(node.asLong());
        }
        if (node.isArray()) {
            List<Long> ids = new ArrayList<>();
            for (JsonNode id : node) {
                if (!id.isIntegralNumber()) {
                    throw malformed(file, "eos_token_id list must hold integers, found " + id);
                }
                ids.add(id.asLong());
            }
            return ids;
        }
        throw malformed(file, "eos_token_id must be an integer or a list of integers, found " + node);
    }

    private static Optional<Long> optionalId(JsonNode node, Path file) {
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isIntegralNumber()) {
            throw malformed(file, "pad_token_id must be an integer, found " + node);
        }
        return Optional.of(node.asLong());
    }

    private static Optional<JsonNode> readObject(ObjectMapper mapper, Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        JsonNode node;
        try {
            node = mapper.readTree(file.toFile());
        } catch (JsonProcessingException e) {
            throw new TokenizerException(file + " is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new TokenizerException("cannot read " + file + ": " + e.getMessage(), e);
        }
        if (node == null || !node.isObject()) {
            throw malformed(file, "expected a JSON object at the top level");
        }
        return Optional.of(node);
    }

    private static TokenizerException malformed(Path file, String problem) {
        return new TokenizerException(file + ": " + problem);
    }
}
