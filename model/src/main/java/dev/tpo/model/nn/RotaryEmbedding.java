package dev.tpo.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.tpo.model.ModelConfig;

/**
 * Rotary position embeddings in HF's "rotate half" layout: cos/sin are built once per forward from the position
 * ids and shared by every layer.
 */
public final class RotaryEmbedding {
    private final float[] inverseFrequencies;
    private final int headDim;

    public RotaryEmbedding(ModelConfig config) {
        this.headDim = config.headDim();
        this.inverseFrequencies = config.ropeScaling().inverseFrequencies(headDim, config.ropeTheta());
    }

    /** The cos and sin tables, each [B, 1, T, headDim] in {@code type}, for positions [B, T] (int64). */
    public NDList cosSin(NDManager scope, NDArray positions, DataType type) {
        NDArray inv = scope.create(inverseFrequencies, new Shape(1, 1, inverseFrequencies.length))
                .toDevice(positions.getDevice(), false);
        NDArray freqs = positions.toType(DataType.FLOAT32, false).expandDims(2).mul(inv);
        NDArray emb = freqs.concat(freqs, 2);
        NDArray cos = emb.cos().expandDims(1);
        NDArray sin = emb.sin().expandDims(1);
        if (type != DataType.FLOAT32) {
            cos = cos.toType(type, false);
            sin = sin.toType(type, false);
        }
        return new NDList(cos, sin);
    }

    /** x * cos + rotate_half(x) * sin, for x of shape [B, heads, T, headDim]. */
    public NDArray apply(NDArray x, NDList cosSin) {
        int half = headDim / 2;
        NDArray x1 = x.get(new NDIndex("..., :{}", half));
        NDArray x2 = x.get(new NDIndex("..., {}:", half));
        NDArray rotated = x2.neg().concat(x1, -1);
        return x.mul(cosSin.get(0)).add(rotated.mul(cosSin.get(1)));
    }
}
