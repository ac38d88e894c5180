package dev.tpo.model.score;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.tpo.model.CausalLm;
import dev.tpo.model.InvalidModelException;
import dev.tpo.model.TokenIds;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Batched scoring of many sequences: sorted by length into batches under a memory budget (so padding and the
 * [B, heads, T, T] attention scores stay bounded), right-padded, and returned in input order.
 */
public final class Scorer {
    /**
     * Bytes allowed for one batch's float32 attention scores and probabilities together, the largest activations
     * of a long sequence (one layer's at a time). The [B, T, vocab] logits no longer count: they are made a chunk of
     * positions at a time ({@link TokenLogProbs}).
     */
    private static final long ATTENTION_BUDGET_BYTES = 512L << 20;

    private final CausalLm model;
    private final int maxBatch;

    public Scorer(CausalLm model, int maxBatch) {
        this.model = model;
        this.maxBatch = maxBatch;
    }

    /** Plain next-token log-probs for each sequence (length n-1; empty for sequences shorter than 2). */
    public List<float[]> tokenLogProbs(List<int[]> sequences) {
        List<ScoredSequence> scored = score(sequences, new int[sequences.size()]);
        List<float[]> out = new ArrayList<>(scored.size());
        for (ScoredSequence s : scored) {
            out.add(s.tokenLogProbs());
        }
        return out;
    }

    /**
     * @param completionStart per sequence, the index of the first completion token (1 or more scores everything
     *                        after the first token; prompt tokens are excluded from sum and mean)
     */
    public List<ScoredSequence> score(List<int[]> sequences, int[] completionStart) {
        return score(sequences, completionStart, done -> {});
    }

    /** Receives the number of sequences scored so far after each batch. */
    public interface Progress {
        void update(int sequencesDone);
    }

    /** As {@link #score(List, int[])}, telling {@code progress} after each batch (for a progress display). */
    public List<ScoredSequence> score(List<int[]> sequences, int[] completionStart, Progress progress) {
        int vocab = model.config().vocabSize();
        long heads = model.config().numAttentionHeads();
        Integer[] order = new Integer[sequences.size()];
        for (int i = 0; i < order.length; i++) {
            TokenIds.check(sequences.get(i), vocab, "sequence " + (i + 1));
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingInt(i -> sequences.get(i).length));
        ScoredSequence[] results = new ScoredSequence[sequences.size()];
        int start = 0;
        while (start < order.length) {
            int end = start;
            int maxLen = 0;
            while (end < order.length && end - start < maxBatch) {
                long len = Math.max(sequences.get(order[end]).length, maxLen);
                long bytes = 2L * (end - start + 1) * heads * len * len * Float.BYTES;
                if (end > start && bytes > ATTENTION_BUDGET_BYTES) {
                    break;
                }
                maxLen = (int) len;
                end++;
            }
            scoreBatch(sequences, completionStart, Arrays.copyOfRange(order, start, end), maxLen, results);
            start = end;
            progress.update(start);
        }
        return Arrays.asList(results);
    }

    private void scoreBatch(
            List<int[]> sequences, int[] completionStart, Integer[] rows, int maxLen, ScoredSequence[] results) {
        if (maxLen < 2) {
            for (Integer r : rows) {
                results[r] = new ScoredSequence(new float[0], 0, 0, 0);
            }
            return;
        }
        long[] flat = new long[rows.length * maxLen];
        for (int i = 0; i < rows.length; i++) {
            int[] seq = sequences.get(rows[i]);
            for (int j = 0; j < seq.length; j++) {
                flat[i * maxLen + j] = seq[j];
            }
        }
        float[] logProbs;
        try (NDManager scope = model.manager().newSubManager()) {
            NDArray ids = scope.create(flat, new Shape(rows.length, maxLen));
            logProbs = TokenLogProbs.compute(model, ids).toFloatArray();
        } catch (ai.djl.engine.EngineException e) {
            throw new InvalidModelException("scoring failed: " + e.getMessage(), e);
        }
        int width = maxLen - 1;
        for (int i = 0; i < rows.length; i++) {
            int n = sequences.get(rows[i]).length;
            float[] own = n < 2 ? new float[0] : Arrays.copyOfRange(logProbs, i * width, i * width + n - 1);
            int from = Math.max(1, completionStart[rows[i]]);
            double sum = 0;
            int count = 0;
            for (int t = from; t < n; t++) {
                sum += own[t - 1];
                count++;
            }
            results[rows[i]] = new ScoredSequence(own, sum, count == 0 ? 0 : sum / count, count);
        }
    }
}
