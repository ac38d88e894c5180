package dev.tpo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tpo.model.CausalLm;
import dev.tpo.model.Compute;
import dev.tpo.model.ModelFolder;
import dev.tpo.train.DpoConfig;
import dev.tpo.train.DpoLossType;
import dev.tpo.train.DpoTrainer;
import dev.tpo.train.LrSchedulerType;
import dev.tpo.train.PreferencePair;
import dev.tpo.train.ReferenceLogProbs;
import dev.tpo.train.TrainingConfig;
import dev.tpo.train.TrainingListener;
import dev.tpo.train.TrainingRun;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Our DPO trainer against TRL 1.16's DPOTrainer (peers/hf_reference.py dpo). Both start from the same random tiny
 * Llama that transformers saved, with a second random Llama as the frozen reference (so that the first step's
 * rewards are not trivially zero), on the same pre-tokenized pairs, with the same hyperparameters: beta 0.1,
 * AdamW (lr 1e-3, betas 0.9/0.999, eps 1e-8, weight decay 0), constant learning rate without warmup, global grad
 * norm clipped to 1.0, one batch = all pairs (so the seeded data order of either side cannot change a step's mean),
 * no truncation, no padding-free, float32 on CPU.
 *
 * <p>Checked: the first step's loss, rewards/chosen, rewards/rejected, rewards/margins, logps/chosen and
 * logps/rejected within 1e-4 (and grad_norm, relative 1e-4); every later step's metrics; and the weights after 10
 * AdamW steps.
 */
@Tag("parity")
@Timeout(value = 20, unit = TimeUnit.MINUTES)
class TrlDpoParityTest {
    private static final int STEPS = 10;
    private static final double LR = 1e-3;
    private static final double BETA = 0.1;
    private static final List<String> METRICS =
            List.of("loss", "rewards/chosen", "rewards/rejected", "rewards/margins", "logps/chosen", "logps/rejected");

    @TempDir
    static Path shared;

    static Path policy;
    static Path reference;
    static Path pairsFile;
    static List<PreferencePair> pairs;

    @BeforeAll
    static void models() throws Exception {
        policy = shared.resolve("policy");
        reference = shared.resolve("reference");
        Peers.python("make-model", "--arch", "llama", "--out", policy.toString(), "--seed", "11");
        Peers.python("make-model", "--arch", "llama", "--out", reference.toString(), "--seed", "12");
        SplittableRandom random = new SplittableRandom(5);
        pairs = new ArrayList<>();
        List<Map<String, int[]>> rows = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            int[] prompt = random.ints(random.nextInt(3, 13), 3, 256).toArray();
            int[] chosen = random.ints(random.nextInt(2, 11), 3, 256).toArray();
            int[] rejected = random.ints(random.nextInt(2, 11), 3, 256).toArray();
            pairs.add(new PreferencePair(prompt, chosen, rejected, Double.NaN, Double.NaN));
            rows.add(Map.of("prompt_ids", prompt, "chosen_ids", chosen, "rejected_ids", rejected));
        }
        pairsFile = shared.resolve("pairs.jsonl");
        Peers.writeJsonl(pairsFile, rows);
    }

    /** Both sides' per-step metrics and TRL-vs-ours weight differences for one loss type. */
    record Runs(List<JsonNode> theirs, List<Map<String, Double>> ours, JsonNode weights) {}

    static Runs train(String lossType) throws Exception {
        Path trlOut = shared.resolve("trl-" + lossType);
        Path trlMetrics = shared.resolve("trl-" + lossType + ".jsonl");
        Peers.python(
                "dpo",
                "--model",
                policy.toString(),
                "--ref",
                reference.toString(),
                "--pairs",
                pairsFile.toString(),
                "--save",
                trlOut.toString(),
                "--output",
                trlMetrics.toString(),
                "--loss-type",
                lossType,
                "--beta",
                Double.toString(BETA),
                "--learning-rate",
                Double.toString(LR),
                "--steps",
                Integer.toString(STEPS),
                "--max-grad-norm",
                "1.0");
        List<JsonNode> theirs = Peers.read(trlMetrics);

        Path ourOut = shared.resolve("ours-" + lossType);
        List<Map<String, Double>> ours = new ArrayList<>();
        List<PreferencePair> annotated;
        try (CausalLm ref = ModelFolder.load(reference, Compute.cpu())) {
            annotated = new ReferenceLogProbs(ref, 8).annotate(pairs);
        }
        TrainingConfig training = new TrainingConfig(
                LR,
                pairs.size(),
                1,
                1,
                STEPS,
                0.0,
                0,
                LrSchedulerType.CONSTANT_WITH_WARMUP,
                0.0,
                0.9,
                0.999,
                1e-8,
                1.0,
                42,
                1,
                0);
        DpoConfig config = new DpoConfig(BETA, DpoLossType.parse(lossType), 0.0, training);
        try (CausalLm lm = ModelFolder.load(policy, Compute.cpu())) {
            new DpoTrainer(config, new TrainingListener() {
                        @Override
                        public void onLog(Map<String, Double> metrics) {
                            ours.add(metrics);
                        }
                    })
                    .train(lm, annotated, new TrainingRun(ourOut, policy, null));
        }
        assertEquals(STEPS, theirs.size());
        assertEquals(STEPS, ours.size());
        Path diff = shared.resolve("diff-" + lossType + ".jsonl");
        Peers.python(
                "diff-weights",
                "--a",
                trlOut.toString(),
                "--b",
                ourOut.toString(),
                "--base",
                policy.toString(),
                "--output",
                diff.toString());
        return new Runs(theirs, ours, Peers.read(diff).get(0));
    }

    @ParameterizedTest
    @ValueSource(strings = {"sigmoid", "ipo", "hinge"})
    void stepMetricsAndTenStepWeightsMatchTrl(String lossType) throws Exception {
        Runs runs = train(lossType);
        // IPO: the loss and its gradients match TRL, the logged rewards/logps do not (see ipoMetrics... below).
        List<String> checked = lossType.equals("ipo") ? List.of("loss") : METRICS;
        StringBuilder report = new StringBuilder(lossType + ":");
        for (int step = 0; step < STEPS; step++) {
            JsonNode theirs = runs.theirs().get(step);
            Map<String, Double> ours = runs.ours().get(step);
            double worst = 0;
            for (String name : checked) {
                double d = Math.abs(theirs.get(name).asDouble() - ours.get(name));
                worst = Math.max(worst, d);
                // Step 1 is the task's "one DPO step"; later steps also stay within 1e-4 (measured: <= 6e-6).
                assertEquals(
                        theirs.get(name).asDouble(),
                        ours.get(name),
                        1e-4,
                        lossType + " step " + (step + 1) + " " + name);
            }
            double gradNorm = theirs.get("grad_norm").asDouble();
            double gradDiff = Math.abs(gradNorm - ours.get("grad_norm"));
            // Relative: grad norms range from ~70 (IPO, step 1) down to 0 (hinge once every margin passes 1/beta).
            assertEquals(
                    gradNorm,
                    ours.get("grad_norm"),
                    1e-4 * Math.max(1.0, gradNorm),
                    lossType + " step " + (step + 1) + " grad_norm");
            assertEquals(theirs.get("learning_rate").asDouble(), ours.get("learning_rate"), 1e-12);
            report.append(String.format(" step %d max|d metric| %.1e, |d grad_norm| %.1e;", step + 1, worst, gradDiff));
        }
        JsonNode w = runs.weights();
        System.out.println(report);
        System.out.printf(
                "%s: after %d steps max|w_trl - w_ours| %.3e, max movement %.3e%n",
                lossType,
                STEPS,
                w.get("max_abs_diff").asDouble(),
                w.get("max_moved").asDouble());
        // Weights after 10 AdamW steps. Each Adam step moves a weight by lr * m_hat / (sqrt(v_hat) + eps), at most
        // about lr, so 10 steps move it at most ~10 lr = 1e-2; the test first checks that the run really moved the
        // weights that far (not a vacuous comparison). The two sides' gradients differ only by float32 summation
        // order (grad_norm agrees to ~1e-6 relative), which Adam's m/sqrt(v) mostly cancels, so the weights agree
        // far below a single step's size: tolerance 1e-4 = lr / 10 (measured: ~1.6e-5). A real optimiser mistake
        // (bias correction, eps placement, clipping, a missing or extra step, the lr) moves weights by O(lr).
        assertTrue(w.get("max_moved").asDouble() > 5 * LR, lossType + ": weights barely moved: " + w);
        assertTrue(w.get("max_abs_diff").asDouble() < LR / 10, lossType + ": weights differ: " + w);
    }

    /**
     * Engine discrepancy, found by this test (since fixed): for loss_type ipo our trainer logged rewards/* and
     * logps/* from completion-length-averaged log-probs, which is what TRL did before its DPO refactor
     * (concatenated_forward divided all_logps by the length for IPO). TRL 1.16 averages only inside the IPO loss and
     * logs summed logps and rewards = beta * (summed policy - summed reference), as DpoObjective now does. Measured
     * at step 1 before the fix: rewards/chosen -0.0484 (ours) vs -0.2085 (TRL), logps/chosen differed by ~35 nats.
     * Loss, gradients and weights agree (test above).
     */
    @org.junit.jupiter.api.Test
    void ipoRewardAndLogpMetricsMatchTrl() throws Exception {
        Runs runs = train("ipo");
        for (String name : METRICS) {
            assertEquals(
                    runs.theirs().get(0).get(name).asDouble(),
                    runs.ours().get(0).get(name),
                    1e-4,
                    "ipo step 1 " + name);
        }
    }
}
