package dev.tpo.demo.synthetic;

import dev.tpo.model.ModelConfig;

/**
 * Everything that fixes a demo run: the suite, the seed model and its SFT, and the TPO/DRB iteration settings.
 * "cpu" is the configuration measured on the 2-core development machine (see {@link #cpu()}); "smoke" a tiny one
 * that only tests the plumbing; "gpu" a larger configuration for a GPU machine, not run here.
 */
public record DemoPreset(
        String name,
        long seed,
        ModelSize model,
        SuiteSizes suite,
        SeedMix mix,
        SftSettings sft,
        IterationSettings iteration,
        int iterations) {

    /** The Llama shape; the vocabulary is {@link CharTokenizer}'s. */
    public record ModelSize(int hidden, int intermediate, int layers, int heads, int kvHeads, int maxPositions) {
        public ModelConfig toConfig() {
            return ModelConfig.llama(
                    CharTokenizer.vocabSize(), hidden, intermediate, layers, heads, kvHeads, maxPositions);
        }
    }

    /**
     * @param trainPrompts TPO prompts in all (each iteration takes fresh ones)
     * @param paperPromptText the paper's thought prompts word for word instead of the shortened ones
     */
    public record SuiteSizes(int trainPrompts, int evalPrompts, int sftExamples, boolean paperPromptText) {}

    /**
     * Shares of the seed SFT data: output formats (specific, generic, direct) and, for the thought formats,
     * thought kinds (useful, wrong, useless). Each triple sums to 1.
     */
    public record SeedMix(double specific, double generic, double direct, double useful, double wrong, double useless) {
        public SeedMix {
            check(specific, generic, direct, "format");
            check(useful, wrong, useless, "thought kind");
        }

        private static void check(double a, double b, double c, String what) {
            if (a < 0 || b < 0 || c < 0 || Math.abs(a + b + c - 1) > 1e-9) {
                throw new IllegalArgumentException(what + " shares must be non-negative and sum to 1");
            }
        }
    }

    /** `tpo train sft` settings. */
    public record SftSettings(int epochs, double learningRate, int batchSize, double warmupRatio, String scheduler) {}

    /**
     * One TPO (or DRB) iteration: sampling, pairing and `tpo train dpo` settings.
     *
     * @param thoughtFormat the format TPO runs with (the DRB always uses {@link ThoughtFormat#NONE})
     */
    public record IterationSettings(
            int promptsPerIteration,
            int samples,
            double temperature,
            double topP,
            int maxNewTokens,
            ThoughtFormat thoughtFormat,
            double dpoBeta,
            double dpoLearningRate,
            int dpoEpochs,
            int dpoBatchSize) {}

    /**
     * The 2-core development machine: a 2-layer model of width 64 (120k parameters), 3000 seed examples (75%
     * with a thought: half of them no-work "Easy.", 30% useful work, 20% wrong work; 25% direct), 12 SFT epochs
     * at 1.5e-3 (2.3k steps at batch 16: about 3 minutes at 20-25k tokens/s on one thread), then two iterations
     * of 128 prompts with 8 samples each, DPO at 2.5e-4 (cosine, 2 epochs, batch 16).
     *
     * <p>Measured (first run 221 s, cached 28 s): the seed's greedy opening is "Easy." on every eval prompt, so it
     * answers at chance (11.3%); forced to open with "Work:" it is right on 100% of them, with "Easy." 11.3%.
     * Sampling at 0.8 opens with the work a third of the time, 125 of 128 prompts get a correct sample, and
     * TPO goes 11.3% / 10.7% / 96.0% over iterations 0-2 while the direct-response baseline stays at 6-9%.
     * At SFT learning rates of 2e-3 and up, the trainer sometimes stopped with an infinite gradient norm at a
     * finite loss; and while the no-work thought also wrote "Draft", a seed with these settings did the work
     * right but did not copy its last value into the draft ("Guess" for the no-work thought fixed that).
     */
    public static DemoPreset cpu() {
        return new DemoPreset(
                "cpu",
                7,
                new ModelSize(64, 192, 2, 4, 4, 192),
                new SuiteSizes(256, 150, 3000, false),
                new SeedMix(0.75, 0.0, 0.25, 0.3, 0.2, 0.5),
                new SftSettings(12, 1.5e-3, 16, 0.05, "cosine"),
                new IterationSettings(128, 8, 0.8, 0.95, 64, ThoughtFormat.SPECIFIC, 0.1, 2.5e-4, 2, 16),
                2);
    }

    /**
     * Plumbing only (CI): a one-layer model, 200 SFT examples (100 steps: enough for the output format, so
     * some samples are well-formed and the DPO step gets pairs), one iteration of 8 prompts with 8 samples and
     * 8 DPO epochs (the margin TRL logs at a step is measured before that step's update, so one step shows none);
     * it learns nothing useful and runs in well under a minute.
     */
    public static DemoPreset smoke() {
        return new DemoPreset(
                "smoke",
                7,
                new ModelSize(32, 64, 1, 2, 2, 128),
                new SuiteSizes(8, 16, 200, false),
                new SeedMix(0.6, 0.0, 0.4, 0.3, 0.2, 0.5),
                new SftSettings(8, 3e-3, 16, 0.0, "constant_with_warmup"),
                new IterationSettings(8, 8, 0.8, 0.95, 64, ThoughtFormat.SPECIFIC, 0.1, 1e-3, 8, 8),
                1);
    }

    /**
     * Untested here: a larger model, the paper's prompt text, and many more SFT steps; more prompts per
     * iteration and four iterations, as in the paper.
     */
    public static DemoPreset gpu() {
        return new DemoPreset(
                "gpu",
                7,
                new ModelSize(256, 768, 6, 8, 4, 512),
                new SuiteSizes(4000, 500, 40000, true),
                new SeedMix(0.55, 0.1, 0.35, 0.3, 0.2, 0.5),
                new SftSettings(10, 1e-3, 64, 0.03, "cosine"),
                new IterationSettings(1000, 8, 0.8, 0.95, 64, ThoughtFormat.SPECIFIC, 0.1, 5e-5, 2, 32),
                4);
    }

    public static DemoPreset named(String name) {
        return switch (name) {
            case "cpu" -> cpu();
            case "gpu" -> gpu();
            case "smoke" -> smoke();
            default -> throw new IllegalArgumentException("unknown preset " + name + " (cpu, gpu or smoke)");
        };
    }
}
