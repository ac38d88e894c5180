package dev.tpo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tpo.demo.synthetic.DemoPreset;
import dev.tpo.demo.synthetic.SyntheticSuite;
import dev.tpo.train.TrainingListener;
import dev.tpo.workers.EmbeddedPipeline;
import dev.tpo.workers.TemporalCli;
import dev.tpo.workers.TemporalKind;
import dev.tpo.workers.demo.DemoArm;
import dev.tpo.workers.demo.DemoSeedModel;
import dev.tpo.workers.demo.DemoSpecs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The Temporal Web UI with a TPO run, in a real browser. The embedded pipeline runs on the real server (the official
 * Temporal CLI's dev server with its UI, SQLite and the TPO search attributes; S3Proxy; one in-process worker), and
 * infra/ui-test/start-run-in-ui.mjs drives Debian's Chromium: it starts a run from the UI's Start Workflow form with
 * a spec as the JSON input and a summary, captures the run and an iteration while they run, waits for the end, and
 * checks that every activity of the run and of each iteration workflow is in the event history with its summary
 * and that each workflow's User Metadata shows its summary and a finished progress table. This test then checks
 * that {@code tpo history} and {@code tpo status} tell the same story as the UI: the same activities in the same
 * order with the same outcomes per workflow, progress tables whose steps are those activities, the same status.
 *
 * <p>Needs Node, /usr/bin/chromium, playwright-core in infra/ui-test (infra/ui-test/install.sh) and the Temporal
 * CLI (infra/temporal/install-temporal-cli.sh); .ci/run and ./run-tests install them. Fails, never skips, without
 * them. Screenshots, the script's findings (ui-result.json) and its log: workers/target/ui-test/.
 */
@Tag("real-server")
class UiBrowserTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The progress table's step for each activity type (answering the eval set is part of "evaluate"). */
    private static final Map<String, String> STEP_OF = Map.of(
            "SelectPrompts",
            "select",
            "Generate",
            "generate",
            "Judge",
            "judge",
            "Pair",
            "pair",
            "ReferenceLogProbs",
            "reference",
            "Train",
            "train",
            "Answer",
            "evaluate",
            "Evaluate",
            "evaluate",
            "WriteIterationReport",
            "report");

    @Test
    @Timeout(value = 20, unit = TimeUnit.MINUTES)
    void runStartedFromTheUiIsShownStepByStepAndAgreesWithTpoHistory() throws Exception {
        Path root = Peers.repoRoot();
        Path uiTest = root.resolve("infra/ui-test");
        assertTrue(
                Files.isDirectory(uiTest.resolve("node_modules/playwright-core")),
                "playwright-core missing: run infra/ui-test/install.sh (./run-tests does)");
        assertTrue(
                Files.isExecutable(Path.of("/usr/bin/chromium")),
                "/usr/bin/chromium missing: apt-get install chromium (.ci/run does)");
        Path out = root.resolve("workers/target/ui-test");
        deleteTree(out);
        Files.createDirectories(out);

        // A seed the steps can learn from (the demo's smoke preset: a tiny SFT'd model on the synthetic suite),
        // kept under target/ so a second run of the test skips its SFT.
        DemoPreset smoke = DemoPreset.smoke();
        Path cache = root.resolve("workers/target/ui-test-cache");
        String key = cacheKey(smoke);
        Path suite = cache.resolve("suite-" + key);
        new SyntheticSuite(smoke).write(suite);
        Path seed = new DemoSeedModel(cache, TrainingListener.NONE).ensure(smoke, suite, key, false);

        try (EmbeddedPipeline pipeline = EmbeddedPipeline.start(
                TemporalKind.REAL, TemporalCli.locate(null), out.resolve("stack"), out.resolve("work"))) {
            String address = pipeline.temporalSettings().address();
            // Two iterations of 4 prompts x 8 samples, so the UI shows two child workflows. Training runs 48
            // epochs, so that it lasts long enough for the script to capture the iteration while it runs, at a
            // small learning rate, so that the tiny policy does not collapse on its few pairs.
            ObjectNode spec = new DemoSpecs()
                    .spec(DemoArm.TPO, twoShortIterations(smoke), seed, suite, pipeline.artifactRoot(), 0);
            spec.put("name", "ui-browser-test");
            ((ObjectNode) spec.get("dpo")).put("num_train_epochs", 48).put("learning_rate", 1e-5);
            Path specFile = out.resolve("spec.json");
            JSON.writerWithDefaultPrettyPrinter().writeValue(specFile.toFile(), spec);

            String runId = "ui-browser-test-" + System.currentTimeMillis();
            Path screenshots = out.resolve("screenshots");
            int exit = runScript(
                    uiTest,
                    out.resolve("ui-test.log"),
                    Map.of(
                            "TPO_UI_URL",
                            pipeline.uiUrl(),
                            "TPO_SPEC",
                            specFile.toString(),
                            "TPO_WORKFLOW_ID",
                            runId,
                            "TPO_OUT",
                            screenshots.toString(),
                            "TPO_RUN_TIMEOUT_S",
                            "600"));
            String log = Files.readString(out.resolve("ui-test.log"));
            assertEquals(0, exit, "the browser script failed:\n" + log);

            for (String shot : List.of(
                    "01-start-form-filled",
                    "02-running-run-timeline",
                    "03-running-iteration-timeline",
                    "04-finished-run",
                    "05-finished-iteration-history",
                    "06-finished-iteration-metadata",
                    "07-finished-run-metadata",
                    "08-finished-iteration-timeline")) {
                Path png = screenshots.resolve(shot + ".png");
                assertTrue(Files.isRegularFile(png) && Files.size(png) > 10_000, "screenshot " + png);
            }
            JsonNode ui = JSON.readTree(screenshots.resolve("ui-result.json").toFile());
            assertTrue(ui.path("passed").asBoolean(), ui.toString());
            assertEquals("RUNNING", ui.path("running_status_shown").asText(), "the running run's screenshot");
            assertEquals(
                    "RUNNING",
                    ui.path("running_iteration_status_shown").asText(),
                    "the running iteration's screenshot");
            assertEquals("COMPLETED", ui.path("status_shown").asText(), "the finished run's page");

            // What the UI showed, per workflow: the activities in history order with their outcomes.
            Map<String, List<String>> uiSteps = new LinkedHashMap<>();
            for (JsonNode workflow : ui.path("workflows")) {
                List<String> steps = new ArrayList<>();
                for (JsonNode activity : workflow.path("activities")) {
                    assertFalse(activity.path("summary").asText().isBlank(), "summary of " + activity);
                    steps.add(activity.path("type").asText() + " "
                            + activity.path("outcome").asText());
                }
                uiSteps.put(workflow.path("workflow_id").asText(), steps);
            }
            assertEquals(
                    List.of(runId, runId + "-iter-1", runId + "-iter-2"),
                    List.copyOf(uiSteps.keySet()),
                    "the UI showed the run and both iterations");

            CommandOutput history = CommandOutput.run("history", runId, "--address", address);
            assertEquals(0, history.exitCode(), history.toString());
            assertEquals(uiSteps, historySteps(history.out()), "tpo history agrees with the UI:\n" + history.out());
            assertTrue(
                    uiSteps.get(runId + "-iter-1")
                            .containsAll(List.of(
                                    "SelectPrompts completed",
                                    "Generate completed",
                                    "Judge completed",
                                    "Pair completed",
                                    "ReferenceLogProbs completed",
                                    "Train completed",
                                    "Answer completed",
                                    "Evaluate completed",
                                    "WriteIterationReport completed")),
                    "every step of the first iteration: " + uiSteps);

            // The progress tables the UI showed as current details agree with tpo history too: each iteration's
            // rows are its steps in order, all done; the run's rows are its iterations, all done.
            for (JsonNode workflow : ui.path("workflows")) {
                String id = workflow.path("workflow_id").asText();
                List<String> done = new ArrayList<>();
                for (JsonNode row : workflow.path("progress")) {
                    assertTrue(
                            Set.of("done", "evaluated")
                                    .contains(row.path("state").asText()),
                            id + ": " + row);
                    done.add(
                            row.has("step")
                                    ? row.path("step").asText()
                                    : row.path("iteration").asText());
                }
                List<String> expected = id.equals(runId)
                        ? List.of("seed", "1", "2")
                        : uiSteps.get(id).stream()
                                .map(step -> STEP_OF.get(step.split(" ")[0]))
                                .distinct()
                                .toList();
                assertEquals(
                        expected, done, id + ": the progress table in User Metadata: " + workflow.path("progress"));
            }
            assertEquals(
                    "TPO run ui-browser-test, started from the Web UI",
                    ui.path("workflows").path(0).path("summary").asText(),
                    "the summary typed into the Start Workflow form is the run's");

            CommandOutput status = CommandOutput.run("status", runId, "--address", address);
            assertEquals(0, status.exitCode(), status.toString());
            assertTrue(
                    status.out().contains("(Temporal: " + ui.path("status").asText() + ")"),
                    "tpo status agrees with the UI's " + ui.path("status") + ":\n" + status.out());
        }
    }

    /** The rows of {@code tpo history}'s step table as "activity outcome", grouped by workflow in table order. */
    private static Map<String, List<String>> historySteps(String printed) {
        Map<String, List<String>> steps = new LinkedHashMap<>();
        String[] lines = printed.split("\n");
        int i = 0;
        while (i < lines.length && !lines[i].startsWith("workflow ")) {
            i++;
        }
        for (i += 2; i < lines.length && !lines[i].isBlank(); i++) {
            String[] cells = lines[i].trim().split("\\s{2,}");
            steps.computeIfAbsent(cells[0], k -> new ArrayList<>()).add(cells[1] + " " + cells[cells.length - 1]);
        }
        return steps;
    }

    private static DemoPreset twoShortIterations(DemoPreset p) {
        DemoPreset.IterationSettings it = p.iteration();
        return new DemoPreset(
                p.name(),
                p.seed(),
                p.model(),
                p.suite(),
                p.mix(),
                p.sft(),
                new DemoPreset.IterationSettings(
                        4,
                        it.samples(),
                        it.temperature(),
                        it.topP(),
                        it.maxNewTokens(),
                        it.thoughtFormat(),
                        it.dpoBeta(),
                        it.dpoLearningRate(),
                        it.dpoEpochs(),
                        it.dpoBatchSize()),
                2);
    }

    /** The seed depends on everything in the preset but the iteration settings, and on the suite's version. */
    private static String cacheKey(DemoPreset p) throws Exception {
        String shaping = SyntheticSuite.VERSION + "|" + p.seed() + "|" + p.model() + "|" + p.suite() + "|" + p.mix()
                + "|" + p.sft();
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(shaping.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest).substring(0, 12);
    }

    /** Runs the browser script with its own timeout (the run's 600 s plus the browser's own waits). */
    private static int runScript(Path uiTest, Path log, Map<String, String> env) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("node", "start-run-in-ui.mjs")
                .directory(uiTest.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(env);
        Process node = builder.start();
        if (!node.waitFor(15, TimeUnit.MINUTES)) {
            node.destroyForcibly();
            throw new AssertionError("the browser script ran over 15 minutes:\n" + Files.readString(log));
        }
        return node.exitValue();
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
