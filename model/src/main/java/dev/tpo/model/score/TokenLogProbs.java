package dev.tpo.model.score;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
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
    /**
     * Bytes of float32 logits made at once. The head's output is [positions, vocab] (49152 columns on SmolLM2), yet
     * only one value per position is kept, so positions go through the head and the log-softmax in chunks of this
     * size and each chunk's full-vocabulary tensors are dropped as soon as its targets are read. Without grad that
     * bounds them to two chunks; under autograd the graph keeps each chunk's log-softmax output for backward (once
     * over all positions, as transformers/TRL keep their logits) and the logits themselves are freed.
     */
    private static final long CHUNK_BYTES = 64L << 20;

    private TokenLogProbs() {}

    /**
     * @param ids [B, T] int64 in the caller's scope
     * @return [B, T-1] float32, in the caller's scope
     */
    public static NDArray compute(CausalLm model, NDArray ids) {
        return compute(
                model, ids, Math.max(1, CHUNK_BYTES / ((long) model.config().vocabSize() * Float.BYTES)));
    }

    /** @param chunk positions per pass through the head and the log-softmax */
    static NDArray compute(CausalLm model, NDArray ids, long chunk) {
        NDManager scope = ids.getManager();
        long b = ids.getShape().get(0);
        int t = (int) ids.getShape().get(1);
        NDArray positions = scope.arange(0, t, 1, DataType.INT64).reshape(1, t).broadcast(new Shape(b, t));
        NDArray mask = AttentionMasks.build(scope, null, b, 0, t, model.dtype());
        NDArray hidden = model.hidden(ids, positions, mask, null);
        long n = b * (t - 1);
        if (n == 0) {
            return scope.zeros(new Shape(b, 0), DataType.FLOAT32);
        }
        NDArray states =
                hidden.get(new NDIndex(":, :-1")).reshape(n, model.config().hiddenSize());
        NDArray targets = ids.get(new NDIndex(":, 1:")).reshape(n, 1);
        NDList parts = new NDList();
        for (long from = 0; from < n; from += chunk) {
            NDIndex rows = new NDIndex("{}:{}", from, Math.min(n, from + chunk));
            try (NDManager chunkScope = scope.newSubManager()) {
                NDArray logits = model.logits(states.get(chunkScope, rows));
                NDArray logProbs = logits.logSoftmax(-1).gather(targets.get(chunkScope, rows), 1);
                logProbs.attach(scope);
                parts.add(logProbs);
            }
        }
        NDArray all = parts.size() == 1 ? parts.get(0) : NDArrays.concat(parts, 0);
        return all.reshape(b, t - 1);
    }
}
