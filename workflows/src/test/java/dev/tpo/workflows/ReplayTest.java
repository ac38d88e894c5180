package dev.tpo.workflows;

import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.WorkflowReplayer;
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

    @Test
    void runHistoryReplays() throws Exception {
        WorkflowReplayer.replayWorkflowExecution(
                WorkflowExecutionHistory.fromJson(history("run-v1.json"), "recorded-run"), TpoRunWorkflowImpl.class);
    }

    @Test
    void trackedRunHistoryReplays() throws Exception {
        WorkflowReplayer.replayWorkflowExecution(
                WorkflowExecutionHistory.fromJson(history("run-tracked-v1.json"), "recorded-tracked-run"),
                TpoRunWorkflowImpl.class);
    }

    @Test
    void iterationHistoryReplays() throws Exception {
        WorkflowReplayer.replayWorkflowExecution(
                WorkflowExecutionHistory.fromJson(history("iteration-v1.json"), "recorded-run-iter-1"),
                TpoIterationWorkflowImpl.class);
    }
}
