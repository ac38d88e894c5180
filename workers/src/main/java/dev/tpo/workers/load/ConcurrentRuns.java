package dev.tpo.workers.load;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tpo.api.steps.RunResult;
import dev.tpo.workflows.TpoRunWorkflow;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Starts many runs of one spec at once, as many users would, and waits for all of them. */
public final class ConcurrentRuns {
    private final WorkflowClient client;
    private final String controlQueue;

    public ConcurrentRuns(WorkflowClient client, String controlQueue) {
        this.client = client;
        this.controlQueue = controlQueue;
    }

    /**
     * Starts one run per id, back to back, then waits for all; a run still going {@code within} after the first
     * start is reported as failed with a timeout rather than waited for.
     */
    public List<RunOutcome> run(List<String> runIds, JsonNode spec, Duration within) throws InterruptedException {
        List<Instant> starts = new ArrayList<>();
        List<CompletableFuture<RunOutcome>> outcomes = new ArrayList<>();
        for (String id : runIds) {
            TpoRunWorkflow run = client.newWorkflowStub(
                    TpoRunWorkflow.class,
                    WorkflowOptions.newBuilder()
                            .setWorkflowId(id)
                            .setTaskQueue(controlQueue)
                            .build());
            Instant started = Instant.now();
            starts.add(started);
            WorkflowClient.start(run::run, spec, null);
            // The end is stamped when the result arrives, not when the loop below gets to it.
            outcomes.add(WorkflowStub.fromTyped(run)
                    .getResultAsync(RunResult.class)
                    .handle((result, e) ->
                            new RunOutcome(id, started, Instant.now(), result, e == null ? null : causes(e))));
        }
        long deadline = System.nanoTime() + within.toNanos();
        List<RunOutcome> out = new ArrayList<>();
        for (int i = 0; i < runIds.size(); i++) {
            try {
                out.add(outcomes.get(i).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
            } catch (TimeoutException e) {
                out.add(new RunOutcome(
                        runIds.get(i), starts.get(i), Instant.now(), null, "still running after " + within));
            } catch (ExecutionException e) {
                throw new IllegalStateException("handle() completes normally", e);
            }
        }
        return out;
    }

    /** Runs per minute: how many completed between the first start and the last end. */
    public static double runsPerMinute(List<RunOutcome> outcomes) {
        Instant first = outcomes.stream()
                .map(RunOutcome::started)
                .min(Instant::compareTo)
                .orElseThrow();
        Instant last =
                outcomes.stream().map(RunOutcome::ended).max(Instant::compareTo).orElseThrow();
        long completed = outcomes.stream().filter(RunOutcome::completed).count();
        return completed / (Duration.between(first, last).toMillis() / 60_000.0);
    }

    private static String causes(Throwable e) {
        StringBuilder b = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            b.append(b.isEmpty() ? "" : " <- ")
                    .append(t.getClass().getSimpleName())
                    .append(": ")
                    .append(t.getMessage());
        }
        return b.toString();
    }
}
