package dev.tpo.workers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tpo.api.spec.TaskQueues;
import dev.tpo.artifacts.ArtifactStore;
import dev.tpo.artifacts.ArtifactStores;
import dev.tpo.artifacts.ManifestEntry;
import dev.tpo.artifacts.RunManifest;
import dev.tpo.workers.load.ConcurrentRuns;
import dev.tpo.workers.load.Latencies;
import dev.tpo.workers.load.RunHistories;
import dev.tpo.workers.load.RunOutcome;
import dev.tpo.workers.load.TinyRunSpec;
import dev.tpo.workers.load.WorkerProcesses;
import io.temporal.api.enums.v1.TaskQueueType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Twenty runs started at once on the official Temporal server, served by two control and two GPU worker processes
 * ({@code tpo worker --role ...}, one JVM each) on a machine that the workers' own model work keeps busy: every run
 * completes, writes only under its own prefix, and no workflow task of any run or iteration fails, in particular
 * none tripped by the SDK's deadlock detector (a workflow task whose code holds its thread over a second), which a
 * loaded machine made the runs' first workflow tasks do before the workers warmed that work up.
 */
@Tag("real-server")
@Tag("multi-process")
class LoadTest {
    private static final int RUNS = 20;
    private static final Set<String> EVERY_STEP = Set.of(
            "PrepareRun",
            "Answer",
            "Evaluate",
            "SelectPrompts",
            "Generate",
            "Judge",
            "Pair",
            "ReferenceLogProbs",
            "Train",
            "WriteIterationReport",
            "WriteRunReport");

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path tmp;

    @Test
    @Timeout(value = 12, unit = TimeUnit.MINUTES)
    void twentyRunsAtOnceCompleteEachUnderItsOwnPrefixWithoutAFailedWorkflowTask() throws Exception {
        // Fails (naming the install script) when the Temporal CLI is missing: never skipped.
        Path cli = TemporalCli.locate(null);
        try (DevStack stack = DevStack.start(new DevStack.Settings(
                        TemporalKind.REAL,
                        cli,
                        DurabilityHarness.freePort(),
                        DurabilityHarness.freePort(),
                        DurabilityHarness.freePort(),
                        tmp.resolve("stack")));
                DurabilityHarness harness = new DurabilityHarness(tmp);
                WorkerProcesses workers = new WorkerProcesses(stack.temporalSettings(), stack.s3Settings(), tmp)) {
            harness.connectTo(stack.temporalSettings(), stack.s3Settings());
            ObjectNode spec = TinyRunSpec.smallest().writeInputs(tmp.resolve("inputs"));
            List<String> workerNames = List.of("control-1", "control-2", "gpu-1", "gpu-2");
            List<Process> controls =
                    List.of(workers.start("control", "control-1"), workers.start("control", "control-2"));
            List<Process> gpus = List.of(workers.start("gpu", "gpu-1"), workers.start("gpu", "gpu-2"));
            // The runs start together once every worker polls: JVM start-ups are not part of the measured wall time.
            workers.awaitPolling(
                    harness.client(),
                    TaskQueues.DEFAULT_CONTROL,
                    TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
                    controls,
                    Duration.ofMinutes(3));
            workers.awaitPolling(
                    harness.client(),
                    TaskQueues.DEFAULT_GPU,
                    TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY,
                    gpus,
                    Duration.ofMinutes(3));
            List<String> runIds = IntStream.rangeClosed(1, RUNS)
                    .mapToObj(i -> String.format("load-%02d", i))
                    .toList();

            long t0 = System.nanoTime();
            List<RunOutcome> outcomes = new ConcurrentRuns(harness.client(), TaskQueues.DEFAULT_CONTROL)
                    .run(runIds, spec, Duration.ofMinutes(9));
            double wallSeconds = (System.nanoTime() - t0) / 1e9;

            List<RunOutcome> failed =
                    outcomes.stream().filter(o -> !o.completed()).toList();
            assertTrue(failed.isEmpty(), failed.size() + " of " + RUNS + " runs did not complete: " + failed);
            outcomes.forEach(o -> assertTrue(
                    o.result().iterations().get(0).pairs().pairs() > 0,
                    o.runId() + " trained on pairs (so reference log-probs and DPO ran)"));

            RunHistories histories = RunHistories.fetch(harness.client(), runIds);
            harness.note(String.format(
                    java.util.Locale.ROOT,
                    "%d runs in %.1f s (%.1f runs/min); sticky-queue timeouts %d; workflow tasks timed out %s;"
                            + " first workflow task per type %s;"
                            + " all workflow tasks %s; schedule-to-start %s",
                    RUNS,
                    wallSeconds,
                    ConcurrentRuns.runsPerMinute(outcomes),
                    histories.stickyQueueTimeouts(),
                    histories.timedOutWorkflowTasks(),
                    summaries(histories.workflowTaskTimes(true)),
                    summaries(histories.workflowTaskTimes(false)),
                    summaries(histories.scheduleToStart())));
            assertEquals(2 * RUNS, histories.histories().size(), "each run and its one iteration");
            for (String runId : runIds) {
                RunHistories own = RunHistories.fetch(harness.client(), List.of(runId));
                Set<String> steps = new TreeSet<>(own.scheduleToStart().keySet());
                assertTrue(steps.containsAll(EVERY_STEP), runId + " ran every step: " + steps);
            }
            // Before the workers warmed the payload (de)serializers up, 19 of 20 runs' first workflow tasks failed
            // here (deadlock detector). Timed-out tasks are only reported (above): on a machine this loaded a
            // worker's completion can miss the 10 s timeout with no fault of the workflow code.
            assertEquals(List.of(), histories.failedWorkflowTasks(), "no workflow task failed");
            for (String name : workerNames) {
                String log = Files.readString(workers.log(name));
                assertFalse(
                        log.contains("Potential deadlock detected"), name + " saw no deadlock-detector trip:\n" + log);
            }

            assertEachRunWroteOnlyUnderItsPrefix(harness.s3(), runIds);
        }
    }

    /** Every manifest entry of a run lies under its prefix, and the store holds nothing outside the runs' prefixes. */
    private static void assertEachRunWroteOnlyUnderItsPrefix(S3Client s3, List<String> runIds) {
        ArtifactStore runs = ArtifactStores.withS3(s3)
                .locate("s3://" + DevStack.BUCKET + "/runs/")
                .store();
        for (String runId : runIds) {
            List<ManifestEntry> manifest = RunManifest.read(runs, runId);
            assertFalse(manifest.isEmpty(), runId + " has a manifest");
            String prefix = "s3://" + DevStack.BUCKET + "/runs/" + runId + "/";
            for (ManifestEntry e : manifest) {
                assertTrue(e.uri().startsWith(prefix), runId + "'s manifest names another run's artifact: " + e);
            }
        }
        List<String> outside = new ArrayList<>();
        for (String key : DurabilityHarness.objects(s3, "").keySet()) {
            if (runIds.stream().noneMatch(id -> key.startsWith("runs/" + id + "/"))) {
                outside.add(key);
            }
        }
        assertEquals(List.of(), outside, "objects outside the runs' prefixes");
    }

    private static String summaries(java.util.Map<String, List<Duration>> byType) {
        StringBuilder b = new StringBuilder();
        byType.forEach((type, durations) -> {
            Latencies l = Latencies.of(durations);
            b.append(String.format(
                    java.util.Locale.ROOT,
                    "%n  %s: n=%d p50 %.0f ms p95 %.0f ms max %.0f ms",
                    type,
                    l.count(),
                    l.p50Ms(),
                    l.p95Ms(),
                    l.maxMs()));
        });
        return b.toString();
    }
}
