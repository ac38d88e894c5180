package dev.tpo.workers.demo;

import java.nio.file.Path;
import java.util.List;

/**
 * Everything that fixes a demo on SmolLM2-135M-Instruct (the folder scripts/fetch-smollm2.sh makes): the
 * arithmetic suite, the format warm-up that makes the seed, and the TPO/DRB iteration settings.
 *
 * @param seed         seeds the suite, the warm-up's sampling and SFT order, and both runs
 * @param evalPrompts  held-out prompts answered greedily after every iteration
 * @param trainPrompts TPO train prompts in all (each iteration takes fresh ones)
 */
public record Smollm2Preset(
        String name, long seed, int evalPrompts, int trainPrompts, Warmup warmup, Iteration iteration, int iterations) {

    /** The LoRA adapters both the warm-up and DPO train: every projection, merged into the saved folder. */
    public static final List<String> LORA_TARGETS =
            List.of("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj");

    /**
     * The format warm-up (see {@link FormatWarmup}).
     *
     * @param prompts       warm-up instructions (disjoint from train and eval prompts)
     * @param samples       thought samples drawn per instruction under the thought prompt
     * @param thoughtTokens most tokens of a kept thought (longer samples are not used)
     * @param answerTokens  most tokens of the greedy direct answer placed after the marker
     * @param batchSize     examples per optimiser step, accumulated one at a time (for memory)
     */
    public record Warmup(
            int prompts,
            int samples,
            int thoughtTokens,
            int answerTokens,
            double learningRate,
            int epochs,
            int batchSize,
            int loraR) {}

    /**
     * One TPO (or DRB) iteration: sampling and DPO (LoRA) settings.
     *
     * @param dpoBatchSize pairs per optimiser step, accumulated one at a time (for memory)
     */
    public record Iteration(
            int promptsPerIteration,
            int samples,
            double temperature,
            double topP,
            int maxNewTokens,
            double dpoBeta,
            double dpoLearningRate,
            int dpoEpochs,
            int dpoBatchSize,
            int loraR) {}

    /**
     * The configuration measured on the 2-core development machine (README, BENCHMARKS): 40 eval prompts, two
     * iterations of 16 prompts x 8 samples per arm, a warm-up on 32 instructions.
     */
    public static Smollm2Preset standard() {
        return new Smollm2Preset(
                "smollm2",
                7,
                40,
                32,
                new Warmup(32, 2, 96, 96, 3e-4, 4, 8, 16),
                new Iteration(16, 8, 0.8, 0.95, 160, 0.1, 2e-4, 2, 4, 16),
                2);
    }

    /** Plumbing only (a parity-tagged test): a handful of prompts, short outputs, one step of each training. */
    public static Smollm2Preset smoke() {
        return new Smollm2Preset(
                "smollm2-smoke",
                7,
                2,
                2,
                new Warmup(4, 2, 96, 64, 2e-4, 1, 4, 4),
                new Iteration(2, 2, 0.8, 0.95, 24, 0.1, 1e-4, 1, 2, 4),
                1);
    }

    public Smollm2Preset withIterations(int n, int promptsPerIteration) {
        Iteration it = iteration;
        return new Smollm2Preset(
                name,
                seed,
                evalPrompts,
                Math.max(trainPrompts, n * promptsPerIteration),
                warmup,
                new Iteration(
                        promptsPerIteration,
                        it.samples(),
                        it.temperature(),
                        it.topP(),
                        it.maxNewTokens(),
                        it.dpoBeta(),
                        it.dpoLearningRate(),
                        it.dpoEpochs(),
                        it.dpoBatchSize(),
                        it.loraR()),
                n);
    }

    /** TPO_SMOLLM2_DIR, else where scripts/fetch-smollm2.sh writes by default. */
    public static Path defaultModelDir() {
        String override = System.getenv("TPO_SMOLLM2_DIR");
        return override != null && !override.isBlank()
                ? Path.of(override)
                : Path.of(System.getProperty("user.home"), ".cache", "tpo", "models", "smollm2-135m-instruct");
    }
}
