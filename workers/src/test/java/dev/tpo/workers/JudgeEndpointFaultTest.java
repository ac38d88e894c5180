package dev.tpo.workers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tpo.api.Failures;
import dev.tpo.api.spec.TaskQueues;
import dev.tpo.api.steps.RunResult;
import dev.tpo.artifacts.ArtifactStores;
import dev.tpo.artifacts.RunManifest;
import dev.tpo.workflows.TpoRunWorkflow;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A pointwise LLM judge whose endpoint misbehaves, on the official Temporal server with S3Proxy and the control and
 * GPU workers as separate JVMs. Two runs at once, each with a test-sized budget (1 s request timeout, 2 retries per
 * request, 2 step attempts): one endpoint answers 429 with Retry-After, 500, nothing within the timeout and an HTML
 * page before it recovers, and that run completes; the other answers 503 for good, and that run fails, within its
 * budget, with one non-retryable failure naming the endpoint, and no judgement stored for the failed shard.
 */
@Tag("real-server")
@Tag("multi-process")
class JudgeEndpointFaultTest {
    private static final String KEY = "sk-judge-test-4c1f9e";
    private static final String KEY_ENV = "TPO_TEST_JUDGE_KEY";
    private static final String RECOVERS = "judge-recovers";
    private static final String DOWN = "judge-down";

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path tmp;

    private DurabilityHarness harness;
    private ScriptedJudgeEndpoint endpoint;

    @AfterEach
    void stop() throws Exception {
        if (harness != null) {
            harness.close();
        }
        if (endpoint != null) {
            endpoint.close();
        }
    }

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void aRecoveringEndpointIsRiddenOutAndADeadOneFailsTheRunNamingItOnceTheBudgetIsSpent() throws Exception {
        endpoint = new ScriptedJudgeEndpoint(KEY);
        // Step attempt 1 sends the first item's request three times (429, 500, timeout) and fails; attempt 2 gets
        // the HTML page, then answers from then on.
        URI recovering = endpoint.route(RECOVERS, (exchange, n, answer) -> {
            switch (n) {
                case 1 -> {
                    exchange.getResponseHeaders().add("Retry-After", "1");
                    ScriptedJudgeEndpoint.reply(exchange, 429, "{\"error\":\"rate limited\"}");
                }
                case 2 -> ScriptedJudgeEndpoint.reply(exchange, 500, "{\"error\":\"internal\"}");
                case 3 -> sleep(Duration.ofSeconds(3));
                case 4 -> ScriptedJudgeEndpoint.reply(exchange, 200, "<html><h1>502 Bad Gateway</h1></html>");
                default -> ScriptedJudgeEndpoint.rate(exchange, answer);
            }
        });
        // Echoes the key, as some proxies do: it must never reach the failure.
        URI down = endpoint.route(
                DOWN,
                (exchange, n, answer) -> ScriptedJudgeEndpoint.reply(
                        exchange,
                        503,
                        "upstream down for " + exchange.getRequestHeaders().getFirst("Authorization")));

        harness = DurabilityHarness.onRealDevStack(tmp);
        WorkflowClient client = harness.client();
        harness.worker("control", "control", Map.of(KEY_ENV, KEY));
        harness.worker("gpu", "gpu");

        CompletableFuture<RunResult> recovered = start(client, RECOVERS, spec(recovering));
        CompletableFuture<RunResult> failed = start(client, DOWN, spec(down));
        harness.note("both runs started");

        ExecutionException e = assertThrows(ExecutionException.class, () -> failed.get(4, TimeUnit.MINUTES));
        harness.note("the run against the dead endpoint failed: " + DurabilityHarness.failureText(e.getCause()));
        assertTrue(e.getCause() instanceof WorkflowFailedException, DurabilityHarness.failureText(e.getCause()));
        ApplicationFailure cause = applicationFailure(e.getCause());
        assertEquals(Failures.JUDGE_RETRIES_EXHAUSTED, cause.getType(), cause.getOriginalMessage());
        assertTrue(cause.isNonRetryable());
        String message = cause.getOriginalMessage();
        String address = "http://127.0.0.1:" + down.getPort() + "/" + DOWN + "/v1/chat/completions";
        assertTrue(message.startsWith("judge: gave up on the judge endpoint " + address), message);
        assertTrue(message.contains("after 2 step attempts"), message);
        assertTrue(message.contains("one request 3 times"), message);
        assertTrue(message.contains("last failure: status 503: 'upstream down for Bearer [redacted]'"), message);
        assertFalse(message.contains(KEY), message);

        // Within the budget: two step attempts, the second the last, 10 s apart plus a few seconds of retries each.
        List<HistoryEvent> judging = judgeEvents(client, DOWN);
        assertEquals(2, lastAttempt(judging), "judge step attempts");
        Duration spent = Duration.ofSeconds(
                judging.get(judging.size() - 1).getEventTime().getSeconds()
                        - judging.get(0).getEventTime().getSeconds());
        harness.note("judge step scheduled to failed: " + spent.toSeconds() + " s, " + endpoint.requests(DOWN)
                + " requests");
        assertTrue(spent.compareTo(Duration.ofSeconds(90)) < 0, "the budget was spent in " + spent);
        assertTrue(endpoint.requests(DOWN) >= 6, "3 requests per step attempt: " + endpoint.requests(DOWN));
        S3Client s3 = harness.s3();
        assertTrue(
                DurabilityHarness.objects(s3, "runs/" + DOWN + "/iter-1/judge/").keySet().stream()
                        .noneMatch(k -> k.matches(".*/judgements-\\d{3}\\.jsonl")),
                "no judgement stored for the failed shard");
        assertTrue(
                RunManifest.read(store(s3), DOWN).stream()
                        .noneMatch(m -> m.step().equals("judge")),
                "no judgement in the run's manifest");

        RunResult done = recovered.get(4, TimeUnit.MINUTES);
        harness.note("the run against the recovering endpoint completed after " + endpoint.requests(RECOVERS)
                + " judge requests");
        assertEquals("completed", done.status());
        assertEquals(2, lastAttempt(judgeEvents(client, RECOVERS)), "the judge step was retried once");
        assertTrue(
                RunManifest.read(store(s3), RECOVERS).stream()
                        .anyMatch(m -> m.step().equals("judge")),
                "the judgements are stored");
        assertNotNull(done.iterations().get(0).pairs());
    }

    /**
     * The crash test's one-iteration spec, smaller (4 prompts x 4 samples, 1 generate shard, 1 epoch), with a
     * pointwise judge on {@code base} and a test-sized budget.
     */
    private ObjectNode spec(URI base) throws Exception {
        ObjectNode spec = harness.spec(1);
        spec.put("prompts_per_iteration", 4);
        ((ObjectNode) spec.get("shards")).put("generate", 1);
        ObjectNode judge = spec.putObject("judge");
        judge.put("type", "pointwise_llm");
        ObjectNode e = judge.putObject("endpoint");
        e.put("base_url", base.toString());
        e.put("model", "judge-test");
        e.put("api_key_env", KEY_ENV);
        e.put("timeout_seconds", 1);
        e.put("max_retries", 2);
        e.put("max_concurrency", 1);
        e.put("max_step_attempts", 2);
        return spec;
    }

    private static CompletableFuture<RunResult> start(WorkflowClient client, String runId, ObjectNode spec) {
        TpoRunWorkflow run = client.newWorkflowStub(
                TpoRunWorkflow.class,
                WorkflowOptions.newBuilder()
                        .setWorkflowId(runId)
                        .setTaskQueue(TaskQueues.DEFAULT_CONTROL)
                        .build());
        WorkflowClient.start(run::run, spec, null);
        return WorkflowStub.fromTyped(run).getResultAsync(RunResult.class);
    }

    /** The first application failure in the chain: the step's own, under the child workflow and activity layers. */
    private static ApplicationFailure applicationFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ApplicationFailure a) {
                return a;
            }
        }
        throw new AssertionError("no application failure in" + DurabilityHarness.failureText(e));
    }

    /** The iteration's Judge activity events: scheduled, each attempt's start, and the end. */
    private static List<HistoryEvent> judgeEvents(WorkflowClient client, String runId) {
        List<HistoryEvent> out = new ArrayList<>();
        long scheduled = -1;
        for (HistoryEvent e : client.fetchHistory(runId + "-iter-1").getEvents()) {
            if (e.hasActivityTaskScheduledEventAttributes()
                    && e.getActivityTaskScheduledEventAttributes()
                            .getActivityType()
                            .getName()
                            .equals("Judge")) {
                scheduled = e.getEventId();
                out.add(e);
            } else if ((e.hasActivityTaskStartedEventAttributes()
                            && e.getActivityTaskStartedEventAttributes().getScheduledEventId() == scheduled)
                    || (e.hasActivityTaskFailedEventAttributes()
                            && e.getActivityTaskFailedEventAttributes().getScheduledEventId() == scheduled)
                    || (e.hasActivityTaskCompletedEventAttributes()
                            && e.getActivityTaskCompletedEventAttributes().getScheduledEventId() == scheduled)) {
                out.add(e);
            }
        }
        assertFalse(out.isEmpty(), "a Judge activity in " + runId);
        return out;
    }

    private static int lastAttempt(List<HistoryEvent> judgeEvents) {
        return judgeEvents.stream()
                .filter(HistoryEvent::hasActivityTaskStartedEventAttributes)
                .mapToInt(e -> e.getActivityTaskStartedEventAttributes().getAttempt())
                .max()
                .orElseThrow();
    }

    private static dev.tpo.artifacts.ArtifactStore store(S3Client s3) {
        return ArtifactStores.withS3(s3)
                .locate("s3://" + DevStack.BUCKET + "/runs/")
                .store();
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
