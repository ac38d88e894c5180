package dev.tpo.model.generate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;

/**
 * Sampling on the host for logits that already live in host memory (a CPU model). Tensor ops would sort the whole
 * vocabulary of every row at every step for top-p and allocate a dozen [N, V] temporaries; here each row takes four
 * linear passes: scale and find the maximum, softmax numerators with a histogram of them, the one histogram bucket
 * that holds the top-p cut-off (the only values sorted), and the inverse-CDF walk. Rows are independent and run in
 * parallel; a row's result does not depend on how the rows were split.
 */
final class HostSampler implements Sampler {
    /**
     * Histogram buckets are the top bits of a positive float (8 exponent bits and 4 mantissa bits), which order like
     * the values themselves; a bucket spans about 6 % of its values, so the cut-off bucket is small.
     */
    private static final int SHIFT = 19;

    private static final int BUCKETS = (Float.floatToRawIntBits(1f) >>> SHIFT) + 1;

    private final SamplingParams params;

    HostSampler(SamplingParams params) {
        this.params = params;
    }

    @Override
    public long[] next(NDArray logits, double[] uniforms) {
        int n = Math.toIntExact(logits.getShape().get(0));
        int vocab = Math.toIntExact(logits.getShape().get(1));
        try (NDManager step = logits.getManager().newSubManager()) {
            logits.tempAttach(step);
            if (params.greedy()) {
                return FiniteLogits.ids(logits.argMax(-1), FiniteLogits.maxima(logits));
            }
            // A view of the tensor's own memory (no copy): it stays valid while the tensor is open, i.e. this call.
            FloatBuffer values =
                    logits.toType(DataType.FLOAT32, false).toByteBuffer(true).asFloatBuffer();
            long[] out = new long[n];
            int chunks = Math.min(n, ForkJoinPool.getCommonPoolParallelism() + 1);
            IntStream.range(0, chunks).parallel().forEach(c -> {
                RowWorkspace w = new RowWorkspace(vocab);
                for (int r = c * n / chunks; r < (c + 1) * n / chunks; r++) {
                    values.get(r * vocab, w.row, 0, vocab);
                    out[r] = sampleRow(w, vocab, uniforms[r], r);
                }
            });
            return out;
        }
    }

    private int sampleRow(RowWorkspace w, int vocab, double uniform, int rowIndex) {
        float[] row = w.row;
        float temperature = (float) params.temperature();
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < vocab; i++) {
            float s = row[i] / temperature;
            row[i] = s;
            max = Math.max(max, s);
        }
        FiniteLogits.check(rowIndex, max);
        float kth = Float.NEGATIVE_INFINITY;
        if (params.topK() > 0 && params.topK() < vocab) {
            kth = kthLargest(row, vocab, params.topK(), w.scratch);
        }
        boolean nucleus = params.topP() < 1;
        if (nucleus) {
            Arrays.fill(w.mass, 0);
            Arrays.fill(w.count, 0);
        }
        double total = 0;
        for (int i = 0; i < vocab; i++) {
            float e = row[i] >= kth ? FloatExp.expNonPositive(row[i] - max) : 0f;
            row[i] = e;
            total += e;
            if (nucleus && e > 0) {
                int b = Float.floatToRawIntBits(e) >>> SHIFT;
                w.mass[b] += e;
                w.count[b]++;
            }
        }
        float cutoff = Float.MIN_VALUE;
        double kept = total;
        if (nucleus) {
            kept = nucleus(w, vocab, params.topP() * total);
            cutoff = w.cutoff;
        }
        double target = uniform * kept;
        double acc = 0;
        int last = 0;
        for (int i = 0; i < vocab; i++) {
            float e = row[i];
            if (e >= cutoff) {
                acc += e;
                last = i;
                if (acc >= target) {
                    return i;
                }
            }
        }
        return last;
    }

    /**
     * Finds the smallest kept numerator (into {@code w.cutoff}): in descending order a token is kept while the mass
     * before it is below {@code target}. Buckets above the one where the mass crosses the target are kept whole;
     * only that bucket is sorted. Returns the kept mass.
     */
    private static double nucleus(RowWorkspace w, int vocab, double target) {
        double before = 0;
        int bucket = BUCKETS - 1;
        int lowestNonEmpty = -1;
        for (; bucket >= 0; bucket--) {
            if (w.count[bucket] == 0) {
                continue;
            }
            lowestNonEmpty = bucket;
            if (before + w.mass[bucket] >= target) {
                break;
            }
            before += w.mass[bucket];
        }
        if (bucket < 0) {
            // rounding left the target just above the whole mass: everything is kept
            bucket = lowestNonEmpty;
            before -= w.mass[bucket];
        }
        int size = 0;
        float[] inBucket = w.scratch;
        for (int i = 0; i < vocab; i++) {
            float e = w.row[i];
            if (e > 0 && Float.floatToRawIntBits(e) >>> SHIFT == bucket) {
                inBucket[size++] = e;
            }
        }
        Arrays.sort(inBucket, 0, size);
        float cutoff = inBucket[size - 1];
        for (int j = size - 1; j >= 0 && before < target; j--) {
            cutoff = inBucket[j];
            before += cutoff;
        }
        w.cutoff = cutoff;
        return before;
    }

    /** The k-th largest of {@code values[0, n)} by quickselect on a copy. */
    private static float kthLargest(float[] values, int n, int k, float[] scratch) {
        System.arraycopy(values, 0, scratch, 0, n);
        int lo = 0;
        int hi = n - 1;
        int want = n - k; // index of the k-th largest in ascending order
        while (lo < hi) {
            float pivot = scratch[(lo + hi) >>> 1];
            int i = lo;
            int j = hi;
            while (i <= j) {
                while (scratch[i] < pivot) {
                    i++;
                }
                while (scratch[j] > pivot) {
                    j--;
                }
                if (i <= j) {
                    float t = scratch[i];
                    scratch[i] = scratch[j];
                    scratch[j] = t;
                    i++;
                    j--;
                }
            }
            if (want <= j) {
                hi = j;
            } else if (want >= i) {
                lo = i;
            } else {
                break;
            }
        }
        return scratch[want];
    }

    /** One thread's buffers, reused across the rows it samples. */
    private static final class RowWorkspace {
        final float[] row;
        final float[] scratch;
        final double[] mass = new double[BUCKETS];
        final int[] count = new int[BUCKETS];
        float cutoff;

        RowWorkspace(int vocab) {
            row = new float[vocab];
            scratch = new float[vocab];
        }
    }
}
