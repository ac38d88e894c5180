package dev.tpo.workflows;

import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Replays histories recorded from released workflow code: a change that would make a running workflow take a
 * different path on replay (non-determinism) fails here instead of in production. Changes that need new behaviour
 * go behind {@code Workflow.getVersion}; see {@link RecordHistories}.
 */
class ReplayTest {
    private static String history(String name) throws IOException {
        try (InputStream in = ReplayTest.class.getResourceAsStream("/histories/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource histories/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /**
     * Replays with a worker whose deadlock detection waits 30 s rather than the SDK's 1 s: the test is about
     * determinism, and on a loaded machine (load 20 on 2 cores, measured) the first workflow task of a fresh JVM,
     * class loading and lambda linking included, took over a second and failed the replay of unchanged code.
     */
    private static void replay(String resource, String workflowId, Class<?> workflow) throws Exception {
        try (TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance()) {
            Worker worker = env.newWorker(
                    "replay",
                    WorkerOptions.newBuilder()
                            .setDefaultDeadlockDetectionTimeout(30_000)
                            .build());
            worker.registerWorkflowImplementationTypes(workflow);
            WorkflowReplayer.replayWorkflowExecution(
                    WorkflowExecutionHistory.fromJson(history(resource), workflowId), worker);
        }
    }

    @Test
    void runHistoryReplays() throws Exception {
        replay("run-v1.json", "recorded-run", TpoRunWorkflowImpl.class);
    }

    @Test
    void trackedRunHistoryReplays() throws Exception {
        replay("run-tracked-v1.json", "recorded-tracked-run", TpoRunWorkflowImpl.class);
    }

    @Test
    void iterationHistoryReplays() throws Exception {
        replay("iteration-v1.json", "recorded-run-iter-1", TpoIterationWorkflowImpl.class);
    }
}
