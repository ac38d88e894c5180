package dev.tpo.model.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.tpo.model.InvalidModelException;
import dev.tpo.model.NonFiniteLogitsException;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SamplerTest {

    private static SamplingParams params(double temperature, double topP, int topK) {
        return new SamplingParams(temperature, topP, topK, 1, Set.of(), List.of(), 1, 0);
    }

    private static long[] sample(Sampler sampler, float[][] rows, double[] uniforms) {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray logits = manager.create(rows);
            long[] out = sampler.next(logits, uniforms);
            assertEquals(1, manager.getManagedArrays().size(), "the sampler freed its temporaries");
            return out;
        }
    }

    /** Uniforms spread evenly over (0, 1], one per row, all rows the same logits. */
    private static long[] sweep(Sampler sampler, float[] logits, int n) {
        float[][] rows = new float[n][];
        double[] u = new double[n];
        for (int i = 0; i < n; i++) {
            rows[i] = logits;
            u[i] = (i + 0.5) / n;
        }
        return sample(sampler, rows, u);
    }

    private static float[] logOf(double... probs) {
        float[] out = new float[probs.length];
        for (int i = 0; i < probs.length; i++) {
            out[i] = (float) Math.log(probs[i]);
        }
        return out;
    }

    @Test
    void topPKeepsTokensWhileTheMassBeforeThemIsBelowPAndWalksTheCdfInVocabularyOrder() {
        // probabilities in vocabulary order 0.15, 0.5, 0.05, 0.3: descending 0.5, 0.3 | 0.15 (mass before 0.8 >= 0.75)
        float[] logits = logOf(0.15, 0.5, 0.05, 0.3);
        SamplingParams p = params(1, 0.75, 0);
        for (Sampler s : List.of(new HostSampler(p), new DeviceSampler(p))) {
            long[] got = sweep(s, logits, 800);
            int ones = 0;
            for (int i = 0; i < got.length; i++) {
                double u = (i + 0.5) / got.length;
                // kept mass 0.8 in vocabulary order: token 1 up to 0.5 / 0.8, token 3 after
                assertEquals(u <= 0.625 ? 1 : 3, got[i], s.getClass().getSimpleName() + " at u=" + u);
                ones += got[i] == 1 ? 1 : 0;
            }
            assertEquals(500, ones);
        }
    }

    @Test
    void topKKeepsTheKLargestAndTemperatureSharpens() {
        float[] logits = {0.1f, 2.0f, -1f, 1.5f, 0.3f};
        SamplingParams p = params(0.5, 1, 2);
        for (Sampler s : List.of(new HostSampler(p), new DeviceSampler(p))) {
            long[] got = sweep(s, logits, 1000);
            // softmax of (2.0, 1.5) / 0.5: p(token 1) = 1 / (1 + e^-1)
            long first = java.util.Arrays.stream(got).filter(t -> t == 1).count();
            assertTrue(java.util.Arrays.stream(got).allMatch(t -> t == 1 || t == 3));
            assertEquals(1000 / (1 + Math.exp(-1)), first, 1.0, s.getClass().getSimpleName());
        }
    }

    /** Every sampler, greedy decoding included, host and device alike. */
    private static List<Sampler> allSamplers() {
        SamplingParams sampled = params(1, 0.9, 2);
        SamplingParams greedy = SamplingParams.greedy(1, Set.of());
        return List.of(
                new HostSampler(sampled),
                new DeviceSampler(sampled),
                new HostSampler(greedy),
                new DeviceSampler(greedy));
    }

    @Test
    void nonFiniteLogitsFailNamingTheRowInEverySampler() {
        float nan = Float.NaN;
        float inf = Float.POSITIVE_INFINITY;
        float minusInf = Float.NEGATIVE_INFINITY;
        List<float[]> badRows =
                List.of(new float[] {0f, nan, 1f}, new float[] {nan, nan, nan}, new float[] {0f, inf, 1f}, new float[] {
                    minusInf, minusInf, minusInf
                });
        for (Sampler s : allSamplers()) {
            for (float[] bad : badRows) {
                float[][] rows = {{0f, 1f, 2f}, {2f, 1f, 0f}, bad};
                String what = s.getClass().getSimpleName() + " on " + java.util.Arrays.toString(bad);
                NonFiniteLogitsException e = assertThrows(
                        NonFiniteLogitsException.class, () -> sample(s, rows, new double[] {0.5, 0.5, 0.5}), what);
                assertEquals(2, e.row(), what);
                assertTrue(e.getMessage().contains("sample row 2"), e.getMessage());
                // the CLI prints a model that cannot be used as one line
                assertInstanceOf(InvalidModelException.class, e);
            }
        }
    }

    @Test
    void maskedTokensBesideFiniteOnesAreFine() {
        float minusInf = Float.NEGATIVE_INFINITY;
        float[][] rows = {{minusInf, 3f, minusInf}, {minusInf, minusInf, 0f}};
        for (Sampler s : allSamplers()) {
            assertArrayEquals(
                    new long[] {1, 2},
                    sample(s, rows, new double[] {0.5, 0.5}),
                    s.getClass().getSimpleName());
        }
    }

    @Test
    void greedyTakesTheArgmax() {
        float[][] rows = {{0f, 3f, 1f}, {5f, -1f, 4.9f}};
        SamplingParams p = SamplingParams.greedy(1, Set.of());
        assertArrayEquals(new long[] {1, 0}, sample(new HostSampler(p), rows, new double[2]));
        assertArrayEquals(new long[] {1, 0}, sample(new DeviceSampler(p), rows, new double[2]));
    }

    @Test
    void hostAndDeviceSamplersPickTheSameTokensOnAWideVocabulary() {
        SplittableRandom random = new SplittableRandom(7);
        int rows = 64;
        int vocab = 32000;
        float[][] logits = new float[rows][vocab];
        double[] u = new double[rows];
        for (int r = 0; r < rows; r++) {
            // near-uniform rows (a random model) and peaked rows (a trained one)
            double spread = r % 2 == 0 ? 0.5 : 6;
            for (int v = 0; v < vocab; v++) {
                logits[r][v] = (float) (random.nextGaussian() * spread);
            }
            u[r] = 1.0 - random.nextDouble();
        }
        for (SamplingParams p : List.of(
                params(0.8, 0.95, 0),
                params(1.0, 0.9, 50),
                params(0.7, 1, 0),
                params(1.2, 0.5, 0),
                params(1.0, 1, 1000))) {
            long[] host = sample(new HostSampler(p), logits, u);
            long[] device = sample(new DeviceSampler(p), logits, u);
            int same = 0;
            for (int r = 0; r < rows; r++) {
                same += host[r] == device[r] ? 1 : 0;
            }
            // float32 cumulative sums on the device against float64 on the host: a uniform may land on the other
            // side of a boundary, rarely
            assertTrue(same >= rows - 2, p + ": " + same + " of " + rows + " equal");
        }
    }

    @Test
    void sampledFrequenciesFollowTheFilteredDistribution() {
        SplittableRandom random = new SplittableRandom(3);
        int vocab = 200;
        float[] logits = new float[vocab];
        for (int v = 0; v < vocab; v++) {
            logits[v] = (float) (random.nextGaussian() * 2);
        }
        SamplingParams p = params(1.0, 0.9, 0);
        int n = 20000;
        long[] got = sweep(new HostSampler(p), logits, n);
        // reference: softmax, sort descending, keep while the mass before < 0.9, renormalise
        double[] probs = new double[vocab];
        double max = Double.NEGATIVE_INFINITY;
        for (float l : logits) {
            max = Math.max(max, l);
        }
        double z = 0;
        for (int v = 0; v < vocab; v++) {
            probs[v] = Math.exp(logits[v] - max);
            z += probs[v];
        }
        Integer[] order = new Integer[vocab];
        for (int v = 0; v < vocab; v++) {
            order[v] = v;
            probs[v] /= z;
        }
        java.util.Arrays.sort(order, (a, b) -> Double.compare(probs[b], probs[a]));
        boolean[] kept = new boolean[vocab];
        double before = 0;
        double keptMass = 0;
        for (int v : order) {
            if (before >= 0.9) {
                break;
            }
            kept[v] = true;
            before += probs[v];
            keptMass += probs[v];
        }
        int[] counts = new int[vocab];
        for (long t : got) {
            counts[(int) t]++;
        }
        for (int v = 0; v < vocab; v++) {
            double expected = kept[v] ? probs[v] / keptMass * n : 0;
            // evenly spaced uniforms: each token's count is within one of its exact share
            assertEquals(expected, counts[v], 1.01, "token " + v);
        }
    }
}
