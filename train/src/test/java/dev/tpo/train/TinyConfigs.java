package dev.tpo.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tpo.model.ModelConfig;

/** A tiny Llama config for trainer tests (copied from the model module's test helper, not shared with it). */
final class TinyConfigs {
    private TinyConfigs() {}

    static ModelConfig llama() {
        ObjectNode c = new ObjectMapper().createObjectNode();
        c.putArray("architectures").add("LlamaForCausalLM");
        c.put("model_type", "llama");
        c.put("vocab_size", 61);
        c.put("hidden_size", 16);
        c.put("intermediate_size", 24);
        c.put("num_hidden_layers", 1);
        c.put("num_attention_heads", 2);
        c.put("num_key_value_heads", 1);
        c.put("rms_norm_eps", 1e-5);
        c.put("rope_theta", 10000.0);
        c.put("max_position_embeddings", 64);
        c.put("tie_word_embeddings", false);
        c.put("initializer_range", 0.2);
        c.put("bos_token_id", 1);
        c.put("eos_token_id", 2);
        return ModelConfig.parse(c, "test");
    }
}
