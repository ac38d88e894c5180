package dev.tpo.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

/** Each loss type against its closed form on hand-made log-probs, plus TRL's reward metrics. */
class DpoLossTest {
    private static final double[] PC = {-10.0, -4.0, -7.5};
    private static final double[] PR = {-12.0, -3.0, -7.0};
    private static final double[] RC = {-11.0, -4.5, -7.0};
    private static final double[] RR = {-11.5, -3.5, -8.0};

    private static double logits(int i) {
        return (PC[i] - PR[i]) - (RC[i] - RR[i]);
    }

    private static double logSigmoid(double x) {
        return -Math.log1p(Math.exp(-x));
    }

    private static double[] losses(DpoLossType type, double beta, double smoothing) {
        try (NDManager m = NDManager.newBaseManager()) {
            DpoLossOutput out = new DpoLoss(beta, type, smoothing).compute(m.create(PC), m.create(PR), RC, RR);
            for (int i = 0; i < PC.length; i++) {
                assertEquals(beta * (PC[i] - RC[i]), out.chosenRewards()[i], 1e-12);
                assertEquals(beta * (PR[i] - RR[i]), out.rejectedRewards()[i], 1e-12);
            }
            NDArray l = out.losses();
            return l.toDoubleArray();
        }
    }

    @Test
    void sigmoid() {
        double beta = 0.1;
        double[] expected = new double[3];
        for (int i = 0; i < 3; i++) {
            expected[i] = -logSigmoid(beta * logits(i));
        }
        assertArrayEquals(expected, losses(DpoLossType.SIGMOID, beta, 0), 1e-12);
    }

    @Test
    void sigmoidWithLabelSmoothingIsConservativeDpo() {
        double beta = 0.5;
        double ls = 0.2;
        double[] expected = new double[3];
        for (int i = 0; i < 3; i++) {
            expected[i] = -(1 - ls) * logSigmoid(beta * logits(i)) - ls * logSigmoid(-beta * logits(i));
        }
        assertArrayEquals(expected, losses(DpoLossType.SIGMOID, beta, ls), 1e-12);
    }

    @Test
    void ipo() {
        double beta = 0.1;
        double[] expected = new double[3];
        for (int i = 0; i < 3; i++) {
            expected[i] = Math.pow(logits(i) - 1 / (2 * beta), 2);
        }
        assertArrayEquals(expected, losses(DpoLossType.IPO, beta, 0), 1e-9);
    }

    @Test
    void hinge() {
        double beta = 0.7;
        double[] expected = new double[3];
        for (int i = 0; i < 3; i++) {
            expected[i] = Math.max(0, 1 - beta * logits(i));
        }
        assertArrayEquals(expected, losses(DpoLossType.HINGE, beta, 0), 1e-12);
    }

    @Test
    void logSigmoidStaysFiniteForLargeInputs() {
        try (NDManager m = NDManager.newBaseManager()) {
            double[] v = DpoLoss.logSigmoid(m.create(new double[] {-800, 0, 800})).toDoubleArray();
            assertArrayEquals(new double[] {-800, Math.log(0.5), 0}, v, 1e-12);
        }
    }

    @Test
    void rewardMetricsFollowTrl() {
        MetricSums sums = new MetricSums();
        double beta = 0.1;
        try (NDManager m = NDManager.newBaseManager()) {
            DpoLossOutput out = new DpoLoss(beta, DpoLossType.SIGMOID, 0).compute(m.create(PC), m.create(PR), RC, RR);
            // pair 0: chosen reward 0.1, rejected -0.05 (correct); pair 1: 0.05 vs 0.05 (not strictly greater);
            // pair 2: -0.05 vs 0.1 (wrong)
            double acc = 0;
            double margin = 0;
            for (int i = 0; i < 3; i++) {
                acc += out.chosenRewards()[i] > out.rejectedRewards()[i] ? 1 : 0;
                margin += out.chosenRewards()[i] - out.rejectedRewards()[i];
            }
            assertEquals(1.0 / 3, acc / 3, 1e-12);
            assertEquals((0.15 + 0.0 - 0.15) / 3, margin / 3, 1e-12);
        }
        sums.add("x", 1, 1);
        sums.add("x", 3, 1);
        assertEquals(2.0, sums.means().get("x"));
    }

    @Test
    void configNamesTheBadField() {
        var e = org.junit.jupiter.api.Assertions.assertThrows(InvalidConfigException.class,
                () -> new DpoConfig(0, DpoLossType.SIGMOID, 0, TrainingConfig.defaults()));
        assertEquals(true, e.getMessage().startsWith("beta:"));
        e = org.junit.jupiter.api.Assertions.assertThrows(InvalidConfigException.class,
                () -> new DpoConfig(0.1, DpoLossType.IPO, 0.1, TrainingConfig.defaults()));
        assertEquals(true, e.getMessage().startsWith("label_smoothing:"));
        e = org.junit.jupiter.api.Assertions.assertThrows(InvalidConfigException.class,
                () -> TrainingConfig.defaults().withBatching(0, 1));
        assertEquals(true, e.getMessage().startsWith("per_device_train_batch_size:"));
    }
}
