package dev.tpo.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.function.UnaryOperator;

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
        NDArray h = x.add(block(x, in -> attention.forward(inputNorm.forward(in), cosSin, rope, mask, cache, index)));
        return h.add(block(h, in -> mlp.forward(postAttentionNorm.forward(in))));
    }

    /**
     * Runs one residual branch in a scope of its own, so that its intermediates (the attention scores, the MLP's
     * [T, intermediate] activations) are freed when it returns rather than when the whole layer does: the two
     * branches' temporaries never coexist. The input only visits the scope and goes back to its manager.
     */
    private static NDArray block(NDArray input, UnaryOperator<NDArray> branch) {
        NDManager owner = input.getManager();
        try (NDManager scope = owner.newSubManager()) {
            input.tempAttach(scope);
            NDArray out = branch.apply(input);
            out.attach(owner);
            return out;
        }
    }
}
