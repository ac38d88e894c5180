package dev.tpo.cli;

import io.temporal.common.WorkflowExecutionHistory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Workflow histories as JSON files, one per workflow, named by its id: the embedded Temporal server keeps them in
 * memory only, so the demo saves them for reading (and replaying) after it exits.
 */
final class HistoryFiles {
    private HistoryFiles() {}

    static void write(Path dir, List<WorkflowExecutionHistory> histories) throws IOException {
        Files.createDirectories(dir);
        for (WorkflowExecutionHistory history : histories) {
            Files.writeString(
                    dir.resolve(history.getWorkflowExecution().getWorkflowId() + ".json"),
                    history.toJson(true),
                    StandardCharsets.UTF_8);
        }
    }
}
