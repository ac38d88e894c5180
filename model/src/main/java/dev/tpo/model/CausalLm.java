package dev.tpo.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.tpo.model.nn.Attention;
import dev.tpo.model.nn.DecoderLayer;
import dev.tpo.model.nn.KvCache;
import dev.tpo.model.nn.Linear;
import dev.tpo.model.nn.Mlp;
import dev.tpo.model.nn.RmsNorm;
import dev.tpo.model.nn.RotaryEmbedding;
import java.util.Map;

/**
 * A Llama/Qwen2 decoder with the semantics of HF {@code LlamaForCausalLM} / {@code Qwen2ForCausalLM} (and the
 * backbone of their {@code ForSequenceClassification} variants). The parameters are plain NDArrays keyed by their
 * HF names and owned by this model's manager; every activation is created in the caller's scope.
 */
public final class CausalLm implements AutoCloseable {
    private final ModelConfig config;
    private final NDManager manager;
    private final Map<String, NDArray> parameters;
    private final DataType dtype;
    private final RotaryEmbedding rope;
    private final DecoderLayer[] layers;
    private final RmsNorm finalNorm;
    private final NDArray embedding;
    private final NDArray head;

    public CausalLm(ModelConfig config, NDManager manager, Map<String, NDArray> parameters, DataType dtype) {
        this.config = config;
        this.manager = manager;
        this.parameters = parameters;
        this.dtype = dtype;
        this.rope = new RotaryEmbedding(config);
        this.layers = new DecoderLayer[config.numHiddenLayers()];
        for (int i = 0; i < layers.length; i++) {
            String p = "model.layers." + i + ".";
            Attention attention = new Attention(linear(p + "self_attn.q_proj"), linear(p + "self_attn.k_proj"),
                    linear(p + "self_attn.v_proj"), linear(p + "self_attn.o_proj"),
                    config.numAttentionHeads(), config.numKeyValueHeads(), config.headDim());
            Mlp mlp = new Mlp(linear(p + "mlp.gate_proj"), linear(p + "mlp.up_proj"), linear(p + "mlp.down_proj"));
            layers[i] = new DecoderLayer(i, new RmsNorm(param(p + "input_layernorm.weight"), config.rmsNormEps()),
                    attention, new RmsNorm(param(p + "post_attention_layernorm.weight"), config.rmsNormEps()), mlp);
        }
        this.finalNorm = new RmsNorm(param("model.norm.weight"), config.rmsNormEps());
        this.embedding = param("model.embed_tokens.weight");
        if (config.isClassifier()) {
            this.head = param("score.weight");
        } else {
            this.head = config.tieWordEmbeddings() ? embedding : param("lm_head.weight");
        }
    }

    private NDArray param(String name) {
        NDArray p = parameters.get(name);
        if (p == null) {
            throw new InvalidModelException("missing parameter '" + name + "'");
        }
        return p;
    }

    private Linear linear(String prefix) {
        return new Linear(param(prefix + ".weight"), parameters.get(prefix + ".bias"));
    }

    public ModelConfig config() {
        return config;
    }

    public NDManager manager() {
        return manager;
    }

    /** The trainable parameters by HF name (a tied head is the embedding, listed once). */
    public Map<String, NDArray> parameters() {
        return parameters;
    }

    public DataType dtype() {
        return dtype;
    }

    public Device device() {
        return manager.getDevice();
    }

    /**
     * Runs the decoder and the final norm.
     *
     * @param ids       [B, T] int64 token ids (already checked to be in range)
     * @param positions [B, T] int64 position ids
     * @param mask      additive mask from {@link dev.tpo.model.nn.AttentionMasks}, or null
     * @param cache     the KV cache to read and extend, or null for a full forward
     * @return hidden states [B, T, hidden] in the model's dtype
     */
    public NDArray hidden(NDArray ids, NDArray positions, NDArray mask, KvCache cache) {
        NDManager scope = ids.getManager();
        NDArray x = ids.getNDArrayInternal().embedding(ids, embedding, ai.djl.ndarray.types.SparseFormat.DENSE).singletonOrThrow();
        NDList cosSin = rope.cosSin(scope, positions, dtype);
        for (DecoderLayer layer : layers) {
            x = layer.forward(x, cosSin, rope, mask, cache);
        }
        if (cache != null) {
            cache.advance((int) ids.getShape().get(1));
        }
        return finalNorm.forward(x);
    }

    /** Next-token logits [.., vocab] in float32 from hidden states [.., hidden]. */
    public NDArray logits(NDArray hidden) {
        if (config.isClassifier()) {
            throw new IllegalStateException(config.architecture() + " has no language-model head");
        }
        return toFloat32(new Linear(head, null).forward(hidden));
    }

    /** Scores [B, numLabels] in float32 of a sequence-classification head, read at the given hidden states [B, H]. */
    public NDArray classify(NDArray lastHidden) {
        if (!config.isClassifier()) {
            throw new IllegalStateException(config.architecture() + " has no score head");
        }
        return toFloat32(new Linear(head, null).forward(lastHidden));
    }

    /** Half precision is widened to float32; a float64 model (used for gradient checks) stays in float64. */
    private static NDArray toFloat32(NDArray a) {
        DataType t = a.getDataType();
        return t == DataType.FLOAT32 || t == DataType.FLOAT64 ? a : a.toType(DataType.FLOAT32, false);
    }

    public KvCache newCache(NDManager scope, long batch, int capacity) {
        return new KvCache(scope, layers.length, batch, config.numKeyValueHeads(), capacity, config.headDim(),
                dtype);
    }

    @Override
    public void close() {
        manager.close();
    }
}
