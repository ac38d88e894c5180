package dev.tpo.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

/** HF {@code LlamaDecoderLayer}: pre-norm attention and MLP, each with a residual connection. */
public final class DecoderLayer {
    private final int index;
    private final RmsNorm inputNorm;
    private final Attention attention;
    private final RmsNorm postAttentionNorm;
    private final Mlp mlp;

    public DecoderLayer(int index, RmsNorm inputNorm, Attention attention, RmsNorm postAttentionNorm, Mlp mlp) {
        this.index = index;
        this.inputNorm = inputNorm;
        this.attention = attention;
        this.postAttentionNorm = postAttentionNorm;
        this.mlp = mlp;
    }

    public NDArray forward(NDArray x, NDList cosSin, RotaryEmbedding rope, NDArray mask, KvCache cache) {
        NDArray h = x.add(attention.forward(inputNorm.forward(x), cosSin, rope, mask, cache, index));
        return h.add(mlp.forward(postAttentionNorm.forward(h)));
    }
}
