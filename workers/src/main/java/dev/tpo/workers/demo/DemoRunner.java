package dev.tpo.workers.demo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tpo.api.spec.RunSpec;
import dev.tpo.api.spec.RunSpecParser;
import dev.tpo.api.spec.SpecDigest;
import dev.tpo.api.spec.TaskQueues;
import dev.tpo.api.steps.RunProgress;
import dev.tpo.api.steps.RunResult;
import dev.tpo.workflows.RunDescriptions;
import dev.tpo.workflows.TpoRunWorkflow;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Starts one run on the pipeline and prints each step as it begins, until the run ends. */
public final class DemoRunner {
    private final WorkflowClient client;
    private final PrintWriter out;

    public DemoRunner(WorkflowClient client, PrintWriter out) {
        this.client = client;
        this.out = out;
    }

    /** The run's result; a failed run throws {@link WorkflowFailedException} (its cause says which step failed). */
    public RunResult run(String runId, JsonNode spec) throws Exception {
        // The embedded worker shares this client, so the run's first workflow task comes back with the start
        // instead of through a poll.
        RunSpec parsed = new RunSpecParser().parse(spec);
        TpoRunWorkflow run = client.newWorkflowStub(
                TpoRunWorkflow.class,
                WorkflowOptions.newBuilder()
                        .setWorkflowId(runId)
                        .setTaskQueue(TaskQueues.DEFAULT_CONTROL)
                        .setDisableEagerExecution(false)
                        .setStaticSummary(RunDescriptions.runSummary(parsed))
                        .setStaticDetails(RunDescriptions.runDetails(parsed, SpecDigest.of(spec)))
                        .build());
        WorkflowClient.start(run::run, spec, null);
        CompletableFuture<RunResult> result = WorkflowStub.fromTyped(run).getResultAsync(RunResult.class);
        String last = "";
        long started = System.nanoTime();
        while (true) {
            try {
                return result.get(2, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof WorkflowFailedException failed) {
                    throw failed;
                }
                throw e;
            } catch (TimeoutException e) {
                RunProgress p = run.progress();
                String now = "iteration " + p.iteration() + "/" + p.iterations() + " " + p.step()
                        + (p.shardsTotal() > 0 ? " " + p.shardsDone() + "/" + p.shardsTotal() : "");
                if (!now.equals(last)) {
                    out.printf(Locale.ROOT, "  [%5.0fs] %s: %s%n", (System.nanoTime() - started) / 1e9, runId, now);
                    out.flush();
                    last = now;
                }
            }
        }
    }
}
