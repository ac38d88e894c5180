package dev.tpo.model.weights;

import dev.tpo.model.ModelConfig;
import java.util.LinkedHashMap;
import java.util.Map;

/** The tensors a config implies, by Hugging Face name, with their shapes: the contract for loading and saving. */
public final class ParameterLayout {
    private ParameterLayout() {}

    public static Map<String, long[]> of(ModelConfig c) {
        Map<String, long[]> p = new LinkedHashMap<>();
        long h = c.hiddenSize();
        long q = (long) c.numAttentionHeads() * c.headDim();
        long kv = (long) c.numKeyValueHeads() * c.headDim();
        long inter = c.intermediateSize();
        p.put("model.embed_tokens.weight", new long[] {c.vocabSize(), h});
        for (int i = 0; i < c.numHiddenLayers(); i++) {
            String l = "model.layers." + i + ".";
            p.put(l + "input_layernorm.weight", new long[] {h});
            p.put(l + "self_attn.q_proj.weight", new long[] {q, h});
            p.put(l + "self_attn.k_proj.weight", new long[] {kv, h});
            p.put(l + "self_attn.v_proj.weight", new long[] {kv, h});
            p.put(l + "self_attn.o_proj.weight", new long[] {h, q});
            if (c.attentionBias()) {
                p.put(l + "self_attn.q_proj.bias", new long[] {q});
                p.put(l + "self_attn.k_proj.bias", new long[] {kv});
                p.put(l + "self_attn.v_proj.bias", new long[] {kv});
            }
            if (c.attentionOutputBias()) {
                p.put(l + "self_attn.o_proj.bias", new long[] {h});
            }
            p.put(l + "post_attention_layernorm.weight", new long[] {h});
            p.put(l + "mlp.gate_proj.weight", new long[] {inter, h});
            p.put(l + "mlp.up_proj.weight", new long[] {inter, h});
            p.put(l + "mlp.down_proj.weight", new long[] {h, inter});
            if (c.mlpBias()) {
                p.put(l + "mlp.gate_proj.bias", new long[] {inter});
                p.put(l + "mlp.up_proj.bias", new long[] {inter});
                p.put(l + "mlp.down_proj.bias", new long[] {h});
            }
        }
        p.put("model.norm.weight", new long[] {h});
        if (c.isClassifier()) {
            p.put("score.weight", new long[] {c.numLabels(), h});
        } else if (!c.tieWordEmbeddings()) {
            p.put("lm_head.weight", new long[] {c.vocabSize(), h});
        }
        return p;
    }

    /** Tensors that checkpoints may carry but that the math recomputes or ties, so loading skips them. */
    public static boolean ignorable(String name, ModelConfig c) {
        return name.endsWith(".rotary_emb.inv_freq") || (c.tieWordEmbeddings() && name.equals("lm_head.weight"));
    }
}
