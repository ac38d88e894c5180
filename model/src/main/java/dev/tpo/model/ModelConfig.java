package dev.tpo.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The subset of a Hugging Face {@code config.json} that defines the math of a Llama or Qwen2 decoder.
 *
 * <p>Every setting that would change the computation and that the engine does not implement is rejected by
 * {@link #parse}, never ignored. The original JSON is kept so a saved folder carries the config exactly as read.
 *
 * @param numLabels 0 for a causal LM; the size of {@code score.weight} for a sequence-classification head
 */
public record ModelConfig(
        String modelType,
        String architecture,
        int vocabSize,
        int hiddenSize,
        int intermediateSize,
        int numHiddenLayers,
        int numAttentionHeads,
        int numKeyValueHeads,
        int headDim,
        double rmsNormEps,
        double ropeTheta,
        RopeScaling ropeScaling,
        int maxPositionEmbeddings,
        boolean tieWordEmbeddings,
        boolean attentionBias,
        boolean attentionOutputBias,
        boolean mlpBias,
        double initializerRange,
        Integer bosTokenId,
        List<Integer> eosTokenIds,
        Integer padTokenId,
        int numLabels,
        ObjectNode json) {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> CAUSAL = Set.of("LlamaForCausalLM", "Qwen2ForCausalLM");
    private static final Set<String> CLASSIFIER =
            Set.of("LlamaForSequenceClassification", "Qwen2ForSequenceClassification");

    public static ModelConfig read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new InvalidModelException("config.json not found: " + file);
        }
        JsonNode node;
        try {
            node = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new InvalidModelException(file + ": not valid JSON: " + e.getMessage());
        }
        if (!(node instanceof ObjectNode object)) {
            throw new InvalidModelException(file + ": expected a JSON object");
        }
        return parse(object, file.toString());
    }

    public static ModelConfig parse(ObjectNode json, String source) {
        return new ConfigParser(json, source).parse();
    }

    /** A plain untied Llama config (benchmarks and demos), parsed through the same checks as a config.json. */
    public static ModelConfig llama(
            int vocab, int hidden, int intermediate, int layers, int heads, int kvHeads, int maxPositions) {
        ObjectNode c = JSON.createObjectNode();
        c.putArray("architectures").add("LlamaForCausalLM");
        c.put("model_type", "llama");
        c.put("vocab_size", vocab);
        c.put("hidden_size", hidden);
        c.put("intermediate_size", intermediate);
        c.put("num_hidden_layers", layers);
        c.put("num_attention_heads", heads);
        c.put("num_key_value_heads", kvHeads);
        c.put("max_position_embeddings", maxPositions);
        c.put("rms_norm_eps", 1e-5);
        c.put("tie_word_embeddings", false);
        return parse(c, "llama-" + layers + "x" + hidden);
    }

    public boolean isClassifier() {
        return numLabels > 0;
    }

    public int groupSize() {
        return numAttentionHeads / numKeyValueHeads;
    }

    /** Number of parameters, counting a tied embedding once. */
    public long parameterCount() {
        long h = hiddenSize;
        long qDim = (long) numAttentionHeads * headDim;
        long kvDim = (long) numKeyValueHeads * headDim;
        long attn = h * qDim
                + 2 * h * kvDim
                + qDim * h
                + (attentionBias ? qDim + 2 * kvDim : 0)
                + (attentionOutputBias ? h : 0);
        long mlp = 3 * h * intermediateSize + (mlpBias ? 2L * intermediateSize + h : 0);
        long perLayer = attn + mlp + 2 * h;
        long head = isClassifier() ? (long) numLabels * h : (tieWordEmbeddings ? 0 : (long) vocabSize * h);
        return (long) vocabSize * h + numHiddenLayers * perLayer + h + head;
    }

    /** The JSON to write beside saved weights: the original document with the dtype of the saved tensors. */
    public ObjectNode toJson(String torchDtype) {
        ObjectNode out = json.deepCopy();
        if (out.has("dtype")) {
            out.put("dtype", torchDtype);
        } else {
            out.put("torch_dtype", torchDtype);
        }
        return out;
    }

    /** Turns a config document into a record, one field at a time, naming the field on every error. */
    private static final class ConfigParser {
        private final ObjectNode json;
        private final String source;

        ConfigParser(ObjectNode json, String source) {
            this.json = json;
            this.source = source;
        }

        ModelConfig parse() {
            String modelType = text("model_type", null);
            if (!"llama".equals(modelType) && !"qwen2".equals(modelType)) {
                throw error("model_type", "'" + modelType + "' is not supported (supported: llama, qwen2)");
            }
            String architecture = architecture(modelType);
            String act = text("hidden_act", "silu");
            if (!"silu".equals(act)) {
                throw error("hidden_act", "'" + act + "' is not supported (only silu: SwiGLU)");
            }
            int hidden = positive("hidden_size");
            int heads = positive("num_attention_heads");
            int kvHeads = json.hasNonNull("num_key_value_heads") ? positive("num_key_value_heads") : heads;
            if (heads % kvHeads != 0) {
                throw error("num_key_value_heads", kvHeads + " does not divide num_attention_heads " + heads);
            }
            int headDim;
            if (json.hasNonNull("head_dim")) {
                headDim = positive("head_dim");
            } else {
                if (hidden % heads != 0) {
                    throw error("hidden_size", hidden + " is not a multiple of num_attention_heads " + heads);
                }
                headDim = hidden / heads;
            }
            if (headDim % 2 != 0) {
                throw error("head_dim", headDim + " must be even for rotary embeddings");
            }
            rejectUnlessDefault("attention_dropout", 0.0);
            rejectUnlessDefault("partial_rotary_factor", 1.0);
            if (json.hasNonNull("quantization_config")) {
                throw error("quantization_config", "quantized checkpoints are not supported");
            }
            if (json.path("use_sliding_window").asBoolean(false)) {
                throw error("use_sliding_window", "sliding-window attention is not supported");
            }
            boolean qwen2 = "qwen2".equals(modelType);
            boolean attentionBias = qwen2 || json.path("attention_bias").asBoolean(false);
            boolean mlpBias = !qwen2 && json.path("mlp_bias").asBoolean(false);
            JsonNode rope = json.get("rope_parameters");
            double ropeTheta = rope != null && rope.hasNonNull("rope_theta")
                    ? rope.get("rope_theta").asDouble()
                    : number("rope_theta", 10000.0);
            RopeScaling scaling = ropeScaling(
                    rope != null ? rope : json.get("rope_scaling"), rope != null ? "rope_parameters" : "rope_scaling");
            int numLabels = CLASSIFIER.contains(architecture) ? numLabels() : 0;
            return new ModelConfig(
                    modelType,
                    architecture,
                    positive("vocab_size"),
                    hidden,
                    positive("intermediate_size"),
                    positive("num_hidden_layers"),
                    heads,
                    kvHeads,
                    headDim,
                    number("rms_norm_eps", 1e-6),
                    ropeTheta,
                    scaling,
                    json.hasNonNull("max_position_embeddings") ? positive("max_position_embeddings") : 2048,
                    json.path("tie_word_embeddings").asBoolean(false),
                    attentionBias,
                    attentionBias && !qwen2,
                    mlpBias,
                    number("initializer_range", 0.02),
                    optionalInt("bos_token_id"),
                    intList("eos_token_id"),
                    optionalInt("pad_token_id"),
                    numLabels,
                    json);
        }

        private String architecture(String modelType) {
            JsonNode archs = json.get("architectures");
            if (archs == null || archs.isNull() || archs.isEmpty()) {
                return "qwen2".equals(modelType) ? "Qwen2ForCausalLM" : "LlamaForCausalLM";
            }
            if (!archs.isArray() || archs.size() != 1) {
                throw error("architectures", "expected a list with one architecture, got " + archs);
            }
            String arch = archs.get(0).asText();
            if (!CAUSAL.contains(arch) && !CLASSIFIER.contains(arch)) {
                throw error(
                        "architectures",
                        "'" + arch + "' is not supported (supported: "
                                + String.join(", ", new java.util.TreeSet<>(union())) + ")");
            }
            if (!arch.toLowerCase().startsWith(modelType)) {
                throw error("architectures", "'" + arch + "' does not match model_type '" + modelType + "'");
            }
            return arch;
        }

        private static Set<String> union() {
            java.util.Set<String> all = new java.util.HashSet<>(CAUSAL);
            all.addAll(CLASSIFIER);
            return all;
        }

        private int numLabels() {
            if (json.hasNonNull("num_labels")) {
                return positive("num_labels");
            }
            JsonNode id2label = json.get("id2label");
            return id2label != null && id2label.size() > 0 ? id2label.size() : 2;
        }

        private RopeScaling ropeScaling(JsonNode node, String field) {
            if (node == null || node.isNull()) {
                return RopeScaling.none();
            }
            String type = node.hasNonNull("rope_type")
                    ? node.get("rope_type").asText()
                    : node.path("type").asText("default");
            switch (type) {
                case "default":
                    return RopeScaling.none();
                case "llama3":
                    for (String key : List.of(
                            "factor", "low_freq_factor", "high_freq_factor", "original_max_position_embeddings")) {
                        if (!node.hasNonNull(key) || !node.get(key).isNumber()) {
                            throw error(field + "." + key, "missing or not a number (required by llama3)");
                        }
                    }
                    double low = node.get("low_freq_factor").asDouble();
                    double high = node.get("high_freq_factor").asDouble();
                    if (high <= low) {
                        throw error(field + ".high_freq_factor", "must be greater than low_freq_factor");
                    }
                    return new RopeScaling(
                            "llama3",
                            node.get("factor").asDouble(),
                            low,
                            high,
                            node.get("original_max_position_embeddings").asInt());
                default:
                    throw error(field, "rope type '" + type + "' is not supported (supported: default, llama3)");
            }
        }

        private void rejectUnlessDefault(String field, double expected) {
            if (json.hasNonNull(field) && json.get(field).asDouble() != expected) {
                throw error(field, json.get(field) + " is not supported (only " + expected + ")");
            }
        }

        private String text(String field, String fallback) {
            JsonNode n = json.get(field);
            return n == null || n.isNull() ? fallback : n.asText();
        }

        private int positive(String field) {
            JsonNode n = json.get(field);
            if (n == null || n.isNull()) {
                throw error(field, "missing");
            }
            if (!n.canConvertToInt() || !n.isIntegralNumber() || n.asInt() <= 0) {
                throw error(field, "must be a positive integer, got " + n);
            }
            return n.asInt();
        }

        private double number(String field, double fallback) {
            JsonNode n = json.get(field);
            if (n == null || n.isNull()) {
                return fallback;
            }
            if (!n.isNumber()) {
                throw error(field, "must be a number, got " + n);
            }
            return n.asDouble();
        }

        private Integer optionalInt(String field) {
            JsonNode n = json.get(field);
            if (n == null || n.isNull()) {
                return null;
            }
            if (!n.isIntegralNumber()) {
                throw error(field, "must be an integer, got " + n);
            }
            return n.asInt();
        }

        private List<Integer> intList(String field) {
            JsonNode n = json.get(field);
            List<Integer> out = new ArrayList<>();
            if (n == null || n.isNull()) {
                return out;
            }
            if (n.isArray()) {
                for (JsonNode e : n) {
                    if (!e.isIntegralNumber()) {
                        throw error(field, "must hold integers, got " + n);
                    }
                    out.add(e.asInt());
                }
            } else if (n.isIntegralNumber()) {
                out.add(n.asInt());
            } else {
                throw error(field, "must be an integer or a list of integers, got " + n);
            }
            return List.copyOf(out);
        }

        private InvalidModelException error(String field, String problem) {
            return new InvalidModelException(source + ": field '" + field + "': " + problem);
        }
    }
}
