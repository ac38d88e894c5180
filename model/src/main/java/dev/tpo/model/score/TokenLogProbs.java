package dev.tpo.model.score;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.tpo.model.CausalLm;
import dev.tpo.model.nn.AttentionMasks;

/**
 * Per-token log-probabilities of a right-padded batch under the model: log p(ids[t] | ids[<t]) for t = 1..T-1.
 * With right padding, causality alone keeps real tokens from seeing padding, so no padding mask is needed and a
 * sequence's values do not depend on what it was batched with. Differentiable: DPO and SFT train through it.
 */
public final class TokenLogProbs {
    private TokenLogProbs() {
    }

    /**
     * @param ids [B, T] int64 in the caller's scope
     * @return [B, T-1] float32
     */
    public static NDArray compute(CausalLm model, NDArray ids) {
        NDManager scope = ids.getManager();
        long b = ids.getShape().get(0);
        int t = (int) ids.getShape().get(1);
        NDArray positions = scope.arange(0, t, 1, DataType.INT64).reshape(1, t).broadcast(new Shape(b, t));
        NDArray mask = AttentionMasks.build(scope, null, b, 0, t, model.dtype());
        NDArray hidden = model.hidden(ids, positions, mask, null);
        NDArray logits = model.logits(hidden.get(new NDIndex(":, :-1")));
        NDArray targets = ids.get(new NDIndex(":, 1:")).expandDims(2);
        return logits.logSoftmax(-1).gather(targets, 2).squeeze(2);
    }
}
