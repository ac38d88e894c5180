package dev.tpo.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Small configs for tests: every feature that changes the math is switched on in some variant. */
public final class TinyModels {
    private static final ObjectMapper JSON = new ObjectMapper();

    private TinyModels() {}

    public static ObjectNode llamaJson() {
        ObjectNode c = JSON.createObjectNode();
        c.putArray("architectures").add("LlamaForCausalLM");
        c.put("model_type", "llama");
        c.put("vocab_size", 97);
        c.put("hidden_size", 32);
        c.put("intermediate_size", 48);
        c.put("num_hidden_layers", 2);
        c.put("num_attention_heads", 4);
        c.put("num_key_value_heads", 2);
        c.put("rms_norm_eps", 1e-5);
        c.put("rope_theta", 10000.0);
        c.put("max_position_embeddings", 256);
        c.put("tie_word_embeddings", false);
        c.put("initializer_range", 0.2);
        c.put("bos_token_id", 1);
        c.put("eos_token_id", 2);
        return c;
    }

    public static ModelConfig llama() {
        return ModelConfig.parse(llamaJson(), "test");
    }

    /** Qwen2 with q/k/v biases, tied embeddings and llama3 rope scaling (not a real Qwen2 setting, but legal). */
    public static ModelConfig qwen2Tied() {
        ObjectNode c = llamaJson();
        c.putArray("architectures").add("Qwen2ForCausalLM");
        c.put("model_type", "qwen2");
        c.put("tie_word_embeddings", true);
        ObjectNode rope = c.putObject("rope_scaling");
        rope.put("rope_type", "llama3");
        rope.put("factor", 8.0);
        rope.put("low_freq_factor", 1.0);
        rope.put("high_freq_factor", 4.0);
        rope.put("original_max_position_embeddings", 16);
        return ModelConfig.parse(c, "test");
    }

    public static CausalLm random(ModelConfig config, long seed) {
        return ModelInitializer.random(config, seed, Compute.cpu());
    }
}
