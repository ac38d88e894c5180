package dev.tpo.cli;

import dev.tpo.workflows.TpoRunWorkflow;
import dev.tpo.workflows.TpoSearchAttributes;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionMetadata;
import io.temporal.common.SearchAttributes;
import java.io.PrintWriter;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tpo list}: finds runs with Temporal's visibility queries over the TPO search attributes, the same ones the
 * Web UI's filter uses. The Java test server has no visibility, so there it says so instead of listing nothing.
 */
@Command(
        name = "list",
        mixinStandardHelpOptions = true,
        description = "List runs, newest first, with a visibility query over the TPO search attributes (TpoRunName, "
                + "TpoIteration, TpoStep, TpoThoughtMode, TpoSeedPolicy, TpoStatus) and Temporal's own "
                + "(WorkflowType, ExecutionStatus, StartTime, ...). Needs a server with visibility: the real one.")
final class ListCommand extends RunClientCommand {
    static final String ALL_RUNS = "WorkflowType = '" + TpoRunWorkflow.TYPE + "'";
    private static final DateTimeFormatter STARTED =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    @Option(
            names = "--query",
            paramLabel = "QUERY",
            description = "e.g. \"TpoRunName = 'math-v1' AND TpoStatus = "
                    + "'failed'\"; default: every run (" + ALL_RUNS
                    + "). Add WorkflowType = 'TpoIterationWorkflow' to see "
                    + "iterations.")
    String query;

    @Option(names = "--limit", defaultValue = "50", description = "At most this many (default ${DEFAULT-VALUE}).")
    int limit;

    @Override
    int run(WorkflowClient client, PrintWriter out) {
        if (limit < 1) {
            throw new UsageException("--limit must be >= 1, got " + limit);
        }
        String q = query == null || query.isBlank() ? ALL_RUNS : query;
        List<WorkflowExecutionMetadata> found;
        try {
            found = client.listExecutions(q).limit(limit).toList();
        } catch (StatusRuntimeException e) {
            throw explained(e, q);
        }
        if (found.isEmpty()) {
            out.println("no workflow matches: " + q);
            return 0;
        }
        TextTable table =
                new TextTable("ID", "TYPE", "STATUS", "NAME", "ITERATION", "STEP", "THOUGHT", "STARTED (UTC)");
        for (WorkflowExecutionMetadata run : found) {
            SearchAttributes tpo = run.getTypedSearchAttributes();
            table.row(
                    run.getExecution().getWorkflowId(),
                    run.getWorkflowType(),
                    status(run, tpo),
                    tpo.get(TpoSearchAttributes.RUN_NAME),
                    tpo.get(TpoSearchAttributes.ITERATION),
                    tpo.get(TpoSearchAttributes.STEP),
                    tpo.get(TpoSearchAttributes.THOUGHT_MODE),
                    STARTED.format(run.getStartTime()));
        }
        out.print(table.render());
        return 0;
    }

    /**
     * TPO's own status (running, paused, completed, stopped, failed) while the workflow runs or after it closed
     * normally; Temporal's when the workflow ended without a word from the run (terminated, timed out).
     */
    private static String status(WorkflowExecutionMetadata run, SearchAttributes tpo) {
        String temporal =
                run.getStatus().name().replace("WORKFLOW_EXECUTION_STATUS_", "").toLowerCase(Locale.ROOT);
        String ours = tpo.get(TpoSearchAttributes.STATUS);
        if (ours == null
                || temporal.equals("terminated")
                || temporal.equals("timed_out")
                || temporal.equals("canceled")) {
            return temporal;
        }
        return ours;
    }

    private static RuntimeException explained(StatusRuntimeException e, String q) {
        Status.Code code = e.getStatus().getCode();
        if (code == Status.Code.UNIMPLEMENTED) {
            return new UsageException("this Temporal server has no visibility queries (the Java test server of "
                    + "'tpo dev-stack' and 'tpo demo'): run 'tpo dev-stack --temporal real', or use 'tpo status ID'");
        }
        if (code == Status.Code.INVALID_ARGUMENT) {
            return new UsageException("--query: " + e.getStatus().getDescription() + " (query: " + q + ")");
        }
        return e;
    }

    @Override
    String runId() {
        return null;
    }
}
