package dev.tpo.cli;

import dev.tpo.model.CausalLm;
import dev.tpo.model.ModelConfig;
import dev.tpo.model.ModelInitializer;
import dev.tpo.model.generate.Generator;
import dev.tpo.model.generate.SamplingParams;
import dev.tpo.model.score.Scorer;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "engine",
        mixinStandardHelpOptions = true,
        description = "Scoring and generation tokens/s of the engine on a ~20M-parameter Llama config.")
final class EngineBenchCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Option(names = "--seq-len", defaultValue = "256", description = "scored sequence length")
    int seqLen;

    @Option(names = "--prompt-len", defaultValue = "32")
    int promptLen;

    @Option(names = "--max-new-tokens", defaultValue = "64")
    int maxNewTokens;

    /** The old spelling of --max-new-tokens, hidden; still accepted so that scripts keep working. */
    @Option(names = "--new-tokens", hidden = true)
    Integer legacyNewTokens;

    /** --max-new-tokens, or its old spelling --new-tokens when that was given. */
    int newTokens() {
        return legacyNewTokens != null ? legacyNewTokens : maxNewTokens;
    }

    @Mixin
    ComputeOptions compute;

    /** About 22M parameters: the size the engine's benchmark figures refer to. */
    static ModelConfig llama20m() {
        return ModelConfig.llama(32000, 256, 688, 8, 8, 4, 1024);
    }

    @Override
    public void run() {
        PrintWriter out = spec.commandLine().getOut();
        int newTokens = newTokens();
        ModelConfig config = llama20m();
        SplittableRandom random = new SplittableRandom(0);
        out.printf(
                "config llama-20m: %,d parameters, %s, %d threads%n",
                config.parameterCount(), compute.resolve(), Runtime.getRuntime().availableProcessors());
        out.println("| work | batch | tokens | seconds | tokens/s |");
        out.println("|---|---|---|---|---|");
        out.flush();
        try (CausalLm model = ModelInitializer.random(config, 0, compute.resolve())) {
            for (int batch : new int[] {1, 32}) {
                List<int[]> sequences = randomSequences(random, batch, seqLen, config.vocabSize());
                Scorer scorer = new Scorer(model, batch);
                scorer.tokenLogProbs(sequences);
                int reps = batch == 1 ? 5 : 1;
                long start = System.nanoTime();
                for (int r = 0; r < reps; r++) {
                    scorer.tokenLogProbs(sequences);
                }
                report(out, "score (seq " + seqLen + ")", batch, (long) reps * batch * seqLen, start);
            }
            for (int[] shape : new int[][] {{1, 1}, {32, 1}, {4, 8}}) {
                int prompts = shape[0];
                int k = shape[1];
                List<int[]> input = randomSequences(random, prompts, promptLen, config.vocabSize());
                SamplingParams params = new SamplingParams(
                        k == 1 ? 0 : 0.8, k == 1 ? 1 : 0.95, 0, newTokens, Set.of(), List.of(), k, 1);
                Generator generator = new Generator(model, null, prompts * k);
                generator.generate(input.subList(0, 1), new SamplingParams(0, 1, 0, 4, Set.of(), List.of(), 1, 0));
                long start = System.nanoTime();
                generator.generate(input, params);
                String work = "generate (prompt " + promptLen + ", " + newTokens + " new"
                        + (k > 1 ? ", " + prompts + " prompts x K=" + k : "") + ")";
                report(out, work, prompts * k, (long) prompts * k * newTokens, start);
            }
        }
    }

    private static List<int[]> randomSequences(SplittableRandom random, int count, int length, int vocab) {
        List<int[]> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(random.ints(length, 0, vocab).toArray());
        }
        return out;
    }

    private static void report(PrintWriter out, String work, int batch, long tokens, long startNanos) {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        out.printf("| %s | %d | %d | %.2f | %.0f |%n", work, batch, tokens, seconds, tokens / seconds);
        // One row at a time as each measurement ends (picocli's writers flush on println only).
        out.flush();
    }
}
