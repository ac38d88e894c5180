package dev.tpo.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class ModelConfigTest {
    private static void assertRejected(Consumer<ObjectNode> change, String field) {
        ObjectNode json = TinyModels.llamaJson();
        change.accept(json);
        InvalidModelException e = assertThrows(InvalidModelException.class, () -> ModelConfig.parse(json, "cfg"));
        assertTrue(e.getMessage().contains("'" + field + "'"), e.getMessage());
    }

    @Test
    void settingsThatChangeTheMathAreRejectedByName() {
        assertRejected(j -> j.put("model_type", "mistral"), "model_type");
        assertRejected(j -> j.put("hidden_act", "gelu"), "hidden_act");
        assertRejected(j -> j.putObject("rope_scaling").put("rope_type", "yarn"), "rope_scaling");
        assertRejected(j -> j.putObject("rope_scaling").put("rope_type", "llama3"), "rope_scaling.factor");
        assertRejected(j -> j.put("num_key_value_heads", 3), "num_key_value_heads");
        assertRejected(j -> j.put("attention_dropout", 0.1), "attention_dropout");
        assertRejected(j -> j.put("use_sliding_window", true), "use_sliding_window");
        assertRejected(j -> j.putObject("quantization_config"), "quantization_config");
        assertRejected(j -> j.putArray("architectures").add("MistralForCausalLM"), "architectures");
        assertRejected(j -> j.put("vocab_size", -3), "vocab_size");
        assertRejected(j -> j.remove("hidden_size"), "hidden_size");
    }

    @Test
    void readsLlamaAndQwen2Specifics() {
        ObjectNode json = TinyModels.llamaJson();
        json.put("head_dim", 16);
        json.putArray("eos_token_id").add(2).add(7);
        ModelConfig c = ModelConfig.parse(json, "cfg");
        assertEquals(16, c.headDim());
        assertEquals(List.of(2, 7), c.eosTokenIds());
        assertEquals(2, c.groupSize());
        ModelConfig q = TinyModels.qwen2Tied();
        assertTrue(q.attentionBias() && !q.attentionOutputBias() && q.tieWordEmbeddings());
        assertTrue(q.ropeScaling().isLlama3());
        // transformers 5 writes rope settings under rope_parameters
        ObjectNode v5 = TinyModels.llamaJson();
        v5.remove("rope_theta");
        v5.putObject("rope_parameters").put("rope_type", "default").put("rope_theta", 500000.0);
        assertEquals(500000.0, ModelConfig.parse(v5, "cfg").ropeTheta());
    }

    @Test
    void llama3ScalingMatchesTheReferenceFormula() {
        RopeScaling s = new RopeScaling("llama3", 8, 1, 4, 8192);
        float[] scaled = s.inverseFrequencies(128, 500000);
        float[] plain = RopeScaling.none().inverseFrequencies(128, 500000);
        // highest frequency (short wavelength) untouched, lowest divided by the factor
        assertEquals(plain[0], scaled[0], 0f);
        assertEquals(plain[63] / 8, scaled[63], 1e-12f);
        // a medium wavelength is interpolated between the two
        int medium = -1;
        for (int i = 0; i < 64; i++) {
            double wavelen = 2 * Math.PI / plain[i];
            if (wavelen > 8192 / 4.0 && wavelen < 8192) {
                medium = i;
                break;
            }
        }
        assertTrue(medium > 0);
        assertTrue(scaled[medium] < plain[medium] && scaled[medium] > plain[medium] / 8);
    }
}
