package dev.tpo.cli;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.tpo.model.CausalLm;
import dev.tpo.model.ModelFolder;
import dev.tpo.model.generate.Generator;
import dev.tpo.model.generate.SamplingParams;
import dev.tpo.model.score.Scorer;
import dev.tpo.train.AdamW;
import dev.tpo.train.DpoLossType;
import dev.tpo.train.DpoObjective;
import dev.tpo.train.Gradients;
import dev.tpo.train.MetricSums;
import dev.tpo.train.PreferencePair;
import dev.tpo.train.TrainingConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * One measurement of the side-by-side benchmark (scripts/bench-side-by-side.sh): our engine on a saved model
 * folder and an input file shared with peers/bench_peer.py. One measurement per JVM so that its peak RSS (VmHWM)
 * is its own. Appends one JSON line to --json.
 */
@Command(
        name = "side-by-side",
        mixinStandardHelpOptions = true,
        description =
                "One measurement (score, dpo or generate) of the side-by-side benchmark against transformers/TRL.")
final class SideBySideBenchCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, description = "saved model folder (the peer loads the same one)")
    Path model;

    @Option(names = "--work", required = true, description = "score, dpo or generate")
    String work;

    @Option(
            names = "--input",
            required = true,
            description =
                    "JSONL: input_ids lines (score, generate prompts) or prompt_ids/chosen_ids/rejected_ids (dpo)")
    Path input;

    @Option(names = "--batch", defaultValue = "8", description = "score: sequences per forward pass")
    int batch;

    @Option(names = "--samples", defaultValue = "1", description = "generate: samples per prompt (K); K=1 is greedy")
    int samples;

    @Option(names = "--max-new-tokens", defaultValue = "64")
    int maxNewTokens;

    /** The old spelling of --max-new-tokens, hidden; still accepted so that scripts keep working. */
    @Option(names = "--new-tokens", hidden = true)
    Integer legacyNewTokens;

    /** --max-new-tokens, or its old spelling --new-tokens when that was given. */
    int newTokens() {
        return legacyNewTokens != null ? legacyNewTokens : maxNewTokens;
    }

    @Option(
            names = "--warmup-new-tokens",
            defaultValue = "8",
            description = "generate: new tokens of the warm-up runs (same batch shapes, fewer steps)")
    int warmupNewTokens;

    @Option(names = "--reps", defaultValue = "3", description = "timed repetitions (median reported)")
    int reps;

    @Option(names = "--warmup", defaultValue = "1", description = "untimed repetitions first")
    int warmup;

    @Option(names = "--label", defaultValue = "", description = "label written into the JSON line")
    String label;

    @Option(names = "--json", description = "append the result as one JSON line to this file")
    Path json;

    @Override
    public void run() {
        int newTokens = newTokens();
        List<Jsonl.Line> lines = Jsonl.read(input);
        double[] seconds = new double[reps];
        long tokens;
        long loadStart = System.nanoTime();
        try (CausalLm lm = ModelFolder.load(model, dev.tpo.model.Compute.cpu())) {
            double loadSeconds = (System.nanoTime() - loadStart) / 1e9;
            Runnable once;
            Runnable warmOnce = null;
            switch (work) {
                case "score" -> {
                    List<int[]> seqs = new ArrayList<>();
                    for (Jsonl.Line l : lines) {
                        seqs.add(l.intArray("input_ids"));
                    }
                    Scorer scorer = new Scorer(lm, batch);
                    tokens = seqs.stream().mapToLong(s -> s.length).sum();
                    once = () -> scorer.tokenLogProbs(seqs);
                }
                case "generate" -> {
                    List<int[]> prompts = new ArrayList<>();
                    for (Jsonl.Line l : lines) {
                        prompts.add(l.intArray("input_ids"));
                    }
                    SamplingParams params = new SamplingParams(
                            samples == 1 ? 0 : 0.8,
                            samples == 1 ? 1 : 0.95,
                            0,
                            newTokens,
                            Set.of(),
                            List.of(),
                            samples,
                            1);
                    Generator generator = new Generator(lm, null, prompts.size() * samples);
                    tokens = (long) prompts.size() * samples * newTokens;
                    SamplingParams warm = new SamplingParams(
                            params.temperature(),
                            params.topP(),
                            0,
                            Math.min(newTokens, warmupNewTokens),
                            Set.of(),
                            List.of(),
                            samples,
                            1);
                    once = () -> generator.generate(prompts, params);
                    warmOnce = () -> generator.generate(prompts, warm);
                }
                case "dpo" -> {
                    List<PreferencePair> pairs = new ArrayList<>();
                    for (Jsonl.Line l : lines) {
                        // Reference log-probs are stored with the pairs in our pipeline (the peer precomputes them).
                        pairs.add(new PreferencePair(
                                l.intArray("prompt_ids"),
                                l.intArray("chosen_ids"),
                                l.intArray("rejected_ids"),
                                -1000.0,
                                -1000.0));
                    }
                    tokens =
                            pairs.stream().mapToLong(PreferencePair::tokenCount).sum();
                    once = dpoStep(lm, pairs);
                }
                default -> throw new UsageException("--work must be score, dpo or generate");
            }
            for (int i = 0; i < warmup; i++) {
                (warmOnce != null ? warmOnce : once).run();
            }
            for (int i = 0; i < reps; i++) {
                long start = System.nanoTime();
                once.run();
                seconds[i] = (System.nanoTime() - start) / 1e9;
            }
            double[] sorted = seconds.clone();
            Arrays.sort(sorted);
            double median = sorted.length % 2 == 1
                    ? sorted[sorted.length / 2]
                    : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
            String line = String.format(
                    Locale.ROOT,
                    "{\"side\":\"ours\",\"label\":\"%s\",\"work\":\"%s\",\"tokens\":%d,\"reps\":%d,\"seconds\":%s,"
                            + "\"median_s\":%.6f,\"tokens_per_s\":%.3f,\"vmhwm_kib\":%d,\"load_s\":%.3f,\"params\":%d}",
                    label,
                    work,
                    tokens,
                    reps,
                    Arrays.toString(seconds),
                    median,
                    tokens / median,
                    vmHwmKib(),
                    loadSeconds,
                    lm.config().parameterCount());
            spec.commandLine().getOut().println(line);
            if (json != null) {
                try {
                    Files.writeString(json, line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }

    /** One DPO step as TrainingLoop makes it: forward over chosen and rejected, backward, clipping, AdamW. */
    private static Runnable dpoStep(CausalLm lm, List<PreferencePair> pairs) {
        Map<String, NDArray> params = lm.trainableParameters();
        for (NDArray p : params.values()) {
            p.setRequiresGradient(true);
        }
        lm.setTraining(true);
        DpoObjective objective = new DpoObjective(0.1, DpoLossType.SIGMOID, 0);
        AdamW adam = new AdamW(params, TrainingConfig.defaults());
        return () -> {
            try (GradientCollector collector = Engine.getInstance().newGradientCollector();
                    NDManager scope = lm.manager().newSubManager()) {
                NDArray loss = objective.loss(lm, scope, pairs, objective.normalizer(pairs), new MetricSums());
                collector.backward(loss);
                loss.toType(ai.djl.ndarray.types.DataType.FLOAT64, false).getDouble();
            }
            Gradients.clipByGlobalNorm(params, 1.0);
            adam.step(params, 1e-6);
            Gradients.zero(params);
        };
    }

    /** Peak resident set size of this process so far (Linux), in KiB; -1 where unknown. */
    static long vmHwmKib() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (l.startsWith("VmHWM:")) {
                    return Long.parseLong(l.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
