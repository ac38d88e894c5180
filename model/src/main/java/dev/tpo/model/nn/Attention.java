package dev.tpo.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * HF {@code LlamaAttention} (eager): grouped-query attention without materialising repeated key/value heads.
 * The query heads that share a key/value head are folded into the sequence axis, so one batched matmul per
 * key/value head serves the whole group.
 */
public final class Attention {
    private final Linear q;
    private final Linear k;
    private final Linear v;
    private final Linear o;
    private final int heads;
    private final int kvHeads;
    private final int headDim;
    private final NDArray scale;

    /** @param constants where the score scale lives: the model's manager, so it is made once, not per forward */
    public Attention(Linear q, Linear k, Linear v, Linear o, int heads, int kvHeads, int headDim, NDManager constants) {
        this.q = q;
        this.k = k;
        this.v = v;
        this.o = o;
        this.heads = heads;
        this.kvHeads = kvHeads;
        this.headDim = headDim;
        this.scale = Scalars.of(constants, (float) (1.0 / Math.sqrt(headDim)));
    }

    /**
     * @param x      [B, T, hidden]
     * @param mask   additive mask [B or 1, 1, 1, T, Tk] (0 or a large negative; the third axis spans the query
     *               heads of a group), or null when every key is visible
     * @param cache  the layer's cache, or null for a full-sequence forward
     */
    public NDArray forward(NDArray x, NDList cosSin, RotaryEmbedding rope, NDArray mask, KvCache cache, int layer) {
        Shape s = x.getShape();
        long b = s.get(0);
        long t = s.get(1);
        int group = heads / kvHeads;
        NDArray query = q.forward(x).reshape(b, t, heads, headDim).transpose(0, 2, 1, 3);
        NDArray key = k.forward(x).reshape(b, t, kvHeads, headDim).transpose(0, 2, 1, 3);
        NDArray value = v.forward(x).reshape(b, t, kvHeads, headDim).transpose(0, 2, 1, 3);
        query = rope.apply(query, cosSin);
        key = rope.apply(key, cosSin);
        if (cache != null) {
            NDArray[] kv = cache.append(layer, key, value);
            key = kv[0];
            value = kv[1];
        }
        long tk = key.getShape().get(2);
        NDArray grouped = query.reshape(b, kvHeads, group * t, headDim);
        // Scaled and masked in place: the [B, heads, T, Tk] scores are the largest activation of a long sequence,
        // and each out-of-place step would keep another copy alive until the layer ends. Autograd allows it: the
        // matmul saves its inputs, not its output, and the softmax below saves only its own output.
        NDArray scores = grouped.matMul(key.transpose(0, 1, 3, 2)).muli(scale);
        if (mask != null) {
            scores = scores.reshape(b, kvHeads, group, t, tk).addi(mask).reshape(b, kvHeads, group * t, tk);
        }
        DataType type = scores.getDataType();
        NDArray probs = type == DataType.FLOAT32
                ? scores.softmax(-1)
                : scores.toType(DataType.FLOAT32, false).softmax(-1).toType(type, false);
        NDArray out = probs.matMul(value)
                .reshape(b, heads, t, headDim)
                .transpose(0, 2, 1, 3)
                .reshape(b, t, (long) heads * headDim);
        return o.forward(out);
    }
}
