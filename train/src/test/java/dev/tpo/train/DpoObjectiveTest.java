package dev.tpo.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The trainer's DPO objective on hand-made log-probs: each loss type against its closed form (per pair and as the
 * micro-batch loss, IPO's length averaging included), and TRL's reward and log-prob metrics.
 */
class DpoObjectiveTest {
    private static final double[] PC = {-10.0, -4.0, -7.5};
    private static final double[] PR = {-12.0, -3.0, -7.0};
    private static final double[] RC = {-11.0, -4.5, -7.0};
    private static final double[] RR = {-11.5, -3.5, -8.0};
    private static final int[] CHOSEN_LENGTHS = {2, 1, 3};
    private static final int[] REJECTED_LENGTHS = {4, 2, 1};

    private static double logits(int i) {
        return (PC[i] - PR[i]) - (RC[i] - RR[i]);
    }

    /** IPO's logits: every log-prob divided by its completion's length. */
    private static double averagedLogits(int i) {
        return (PC[i] / CHOSEN_LENGTHS[i] - PR[i] / REJECTED_LENGTHS[i])
                - (RC[i] / CHOSEN_LENGTHS[i] - RR[i] / REJECTED_LENGTHS[i]);
    }

    private static double logSigmoid(double x) {
        return -Math.log1p(Math.exp(-x));
    }

    private static List<PreferencePair> pairs() {
        List<PreferencePair> pairs = new ArrayList<>();
        for (int i = 0; i < PC.length; i++) {
            pairs.add(new PreferencePair(
                    new int[] {1, 2}, new int[CHOSEN_LENGTHS[i]], new int[REJECTED_LENGTHS[i]], RC[i], RR[i]));
        }
        return pairs;
    }

    private static double[] pairLosses(DpoLossType type, double beta, double smoothing) {
        try (NDManager m = NDManager.newBaseManager()) {
            return new DpoObjective(beta, type, smoothing)
                    .pairLosses(m.create(PC), m.create(PR), RC, RR)
                    .toDoubleArray();
        }
    }

    /** The micro-batch loss from policy sums PC, PR (chosen rows first, as one forward pass gives them). */
    private static double batchLoss(DpoLossType type, double beta, double smoothing, MetricSums metrics) {
        double[] sums = new double[2 * PC.length];
        int[] counts = new int[2 * PC.length];
        for (int i = 0; i < PC.length; i++) {
            sums[i] = PC[i];
            sums[PC.length + i] = PR[i];
            counts[i] = CHOSEN_LENGTHS[i];
            counts[PC.length + i] = REJECTED_LENGTHS[i];
        }
        try (NDManager m = NDManager.newBaseManager()) {
            CompletionLogProbs logps = new CompletionLogProbs(m.create(sums), counts);
            return new DpoObjective(beta, type, smoothing)
                    .loss(m, logps, pairs(), PC.length, metrics)
                    .toType(DataType.FLOAT64, false)
                    .getDouble();
        }
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    @Test
    void sigmoid() {
        double beta = 0.1;
        double[] expected = new double[3];
        for (int i = 0; i < 3; i++) {
            expected[i] = -logSigmoid(beta * logits(i));
        }
        assertArrayEquals(expected, pairLosses(DpoLossType.SIGMOID, beta, 0), 1e-12);
        assertEquals(mean(expected), batchLoss(DpoLossType.SIGMOID, beta, 0, new MetricSums()), 1e-12);
    }

    @Test
    void sigmoidWithLabelSmoothingIsConservativeDpo() {
        double beta = 0.5;
        double ls = 0.2;
        double[] expected = new double[3];
        for (int i = 0; i < 3; i++) {
            expected[i] = -(1 - ls) * logSigmoid(beta * logits(i)) - ls * logSigmoid(-beta * logits(i));
        }
        assertArrayEquals(expected, pairLosses(DpoLossType.SIGMOID, beta, ls), 1e-12);
        assertEquals(mean(expected), batchLoss(DpoLossType.SIGMOID, beta, ls, new MetricSums()), 1e-12);
    }

    @Test
    void ipo() {
        double beta = 0.1;
        double[] expected = new double[3];
        double[] averaged = new double[3];
        for (int i = 0; i < 3; i++) {
            expected[i] = Math.pow(logits(i) - 1 / (2 * beta), 2);
            averaged[i] = Math.pow(averagedLogits(i) - 1 / (2 * beta), 2);
        }
        assertArrayEquals(expected, pairLosses(DpoLossType.IPO, beta, 0), 1e-9);
        // The batch loss averages policy and reference log-probs over the completion length first.
        assertEquals(mean(averaged), batchLoss(DpoLossType.IPO, beta, 0, new MetricSums()), 1e-9);
    }

    @Test
    void hinge() {
        double beta = 0.7;
        double[] expected = new double[3];
        for (int i = 0; i < 3; i++) {
            expected[i] = Math.max(0, 1 - beta * logits(i));
        }
        assertArrayEquals(expected, pairLosses(DpoLossType.HINGE, beta, 0), 1e-12);
        assertEquals(mean(expected), batchLoss(DpoLossType.HINGE, beta, 0, new MetricSums()), 1e-12);
    }

    @Test
    void logSigmoidStaysFiniteForLargeInputs() {
        try (NDManager m = NDManager.newBaseManager()) {
            double[] v = DpoObjective.logSigmoid(m.create(new double[] {-800, 0, 800}))
                    .toDoubleArray();
            assertArrayEquals(new double[] {-800, Math.log(0.5), 0}, v, 1e-12);
        }
    }

    @Test
    void rewardMetricsFollowTrl() {
        double beta = 0.1;
        for (DpoLossType type : DpoLossType.values()) {
            // TRL 1.16 logs summed log-probs and rewards for every loss type, IPO included.
            MetricSums sums = new MetricSums();
            batchLoss(type, beta, 0, sums);
            Map<String, Double> means = sums.means();
            double[] chosen = new double[3];
            double[] rejected = new double[3];
            for (int i = 0; i < 3; i++) {
                chosen[i] = beta * (PC[i] - RC[i]);
                rejected[i] = beta * (PR[i] - RR[i]);
            }
            assertEquals(mean(chosen), means.get("rewards/chosen"), 1e-12, type.toString());
            assertEquals(mean(rejected), means.get("rewards/rejected"), 1e-12, type.toString());
            // pair 0: chosen reward 0.1, rejected -0.05 (correct); pair 1: 0.05 vs 0.05 (not strictly greater);
            // pair 2: -0.05 vs 0.1 (wrong)
            assertEquals(1.0 / 3, means.get("rewards/accuracies"), 1e-12, type.toString());
            assertEquals((0.15 + 0.0 - 0.15) / 3, means.get("rewards/margins"), 1e-12, type.toString());
            assertEquals(mean(PC), means.get("logps/chosen"), 1e-12, type.toString());
            assertEquals(mean(PR), means.get("logps/rejected"), 1e-12, type.toString());
        }
        MetricSums sums = new MetricSums();
        sums.add("x", 1, 1);
        sums.add("x", 3, 1);
        assertEquals(2.0, sums.means().get("x"));
    }

    @Test
    void configNamesTheBadField() {
        var e = org.junit.jupiter.api.Assertions.assertThrows(
                InvalidConfigException.class,
                () -> new DpoConfig(0, DpoLossType.SIGMOID, 0, TrainingConfig.defaults()));
        assertEquals(true, e.getMessage().startsWith("beta:"));
        e = org.junit.jupiter.api.Assertions.assertThrows(
                InvalidConfigException.class,
                () -> new DpoConfig(0.1, DpoLossType.IPO, 0.1, TrainingConfig.defaults()));
        assertEquals(true, e.getMessage().startsWith("label_smoothing:"));
        e = org.junit.jupiter.api.Assertions.assertThrows(
                InvalidConfigException.class, () -> TrainingConfig.defaults().withBatching(0, 1));
        assertEquals(true, e.getMessage().startsWith("per_device_train_batch_size:"));
    }
}
