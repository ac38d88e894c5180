package dev.tpo.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.tpo.model.CausalLm;
import dev.tpo.model.TokenIds;
import dev.tpo.model.score.TokenLogProbs;
import java.util.List;

/**
 * Differentiable summed log-probabilities of completions given their prompts: each row is prompt + completion,
 * right-padded, and only the completion's tokens count (prompt and padding are masked out), as TRL's
 * {@code concatenated_forward} sums them.
 *
 * @param sums   [B] sum of log p(completion token | prefix), in the model's log-prob dtype, attached to the scope
 * @param counts completion token count per row
 */
public record CompletionLogProbs(NDArray sums, int[] counts) {

    /** @param scope the per-step manager that owns every activation */
    public static CompletionLogProbs compute(
            CausalLm model, NDManager scope, List<int[]> prompts, List<int[]> completions) {
        int rows = prompts.size();
        int width = 0;
        for (int i = 0; i < rows; i++) {
            width = Math.max(width, prompts.get(i).length + completions.get(i).length);
        }
        int vocab = model.config().vocabSize();
        long[] ids = new long[rows * width];
        float[] mask = new float[rows * (width - 1)];
        int[] counts = new int[rows];
        for (int i = 0; i < rows; i++) {
            int[] p = prompts.get(i);
            int[] c = completions.get(i);
            TokenIds.check(p, vocab, "prompt of row " + (i + 1));
            TokenIds.check(c, vocab, "completion of row " + (i + 1));
            for (int j = 0; j < p.length; j++) {
                ids[i * width + j] = p[j];
            }
            for (int j = 0; j < c.length; j++) {
                ids[i * width + p.length + j] = c[j];
                // log-prob index t-1 scores token t; completion token j sits at t = p.length + j
                mask[i * (width - 1) + p.length + j - 1] = 1f;
            }
            counts[i] = c.length;
        }
        NDArray idArray = scope.create(ids, new Shape(rows, width));
        NDArray tokenLogProbs = TokenLogProbs.compute(model, idArray);
        NDArray maskArray = scope.create(mask, new Shape(rows, width - 1)).toType(tokenLogProbs.getDataType(), false);
        NDArray sums = tokenLogProbs.mul(maskArray).sum(new int[] {1});
        return new CompletionLogProbs(sums, counts);
    }

    public long completionTokens() {
        long n = 0;
        for (int c : counts) {
            n += c;
        }
        return n;
    }
}
