package dev.tpo.workflows;

import dev.tpo.api.ArtifactRef;
import dev.tpo.api.CorruptArtifact;
import dev.tpo.api.Failures;
import dev.tpo.api.activities.AnswerActivity;
import dev.tpo.api.activities.EvaluateActivity;
import dev.tpo.api.activities.GenerateActivity;
import dev.tpo.api.activities.JudgeActivity;
import dev.tpo.api.activities.PairActivity;
import dev.tpo.api.activities.PrepareRunActivity;
import dev.tpo.api.activities.ReferenceLogProbsActivity;
import dev.tpo.api.activities.ReportActivity;
import dev.tpo.api.activities.SelectPromptsActivity;
import dev.tpo.api.activities.TrackingActivity;
import dev.tpo.api.activities.TrainActivity;
import dev.tpo.api.steps.AnswerInput;
import dev.tpo.api.steps.AnswerOutput;
import dev.tpo.api.steps.EvalOutput;
import dev.tpo.api.steps.EvalResult;
import dev.tpo.api.steps.EvaluateInput;
import dev.tpo.api.steps.GenerateInput;
import dev.tpo.api.steps.GenerateOutput;
import dev.tpo.api.steps.JudgeInput;
import dev.tpo.api.steps.JudgeOutput;
import dev.tpo.api.steps.PairInput;
import dev.tpo.api.steps.PairOutput;
import dev.tpo.api.steps.PairSummary;
import dev.tpo.api.steps.PrepareRunInput;
import dev.tpo.api.steps.PromptSelection;
import dev.tpo.api.steps.ReferenceLogProbsInput;
import dev.tpo.api.steps.ReportInput;
import dev.tpo.api.steps.RunInputs;
import dev.tpo.api.steps.RunReportInput;
import dev.tpo.api.steps.SelectPromptsInput;
import dev.tpo.api.steps.TrackedRun;
import dev.tpo.api.steps.TrackingStart;
import dev.tpo.api.steps.TrackingUpdate;
import dev.tpo.api.steps.TrainInput;
import dev.tpo.api.steps.TrainOutput;
import io.temporal.activity.Activity;
import io.temporal.failure.ApplicationFailure;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Test double for every step: records calls, returns references named after their inputs, fails on request, and
 * fails the run when a step arrives on the wrong task queue (the same instance serves both queues).
 */
final class RecordingActivities
        implements PrepareRunActivity,
                SelectPromptsActivity,
                GenerateActivity,
                JudgeActivity,
                PairActivity,
                ReferenceLogProbsActivity,
                TrainActivity,
                AnswerActivity,
                EvaluateActivity,
                ReportActivity,
                TrackingActivity {
    final List<String> calls = Collections.synchronizedList(new ArrayList<>());
    final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
    final List<TrainInput> trainInputs = Collections.synchronizedList(new ArrayList<>());
    final List<JudgeInput> judgeInputs = Collections.synchronizedList(new ArrayList<>());
    final List<TrackingUpdate> trackingUpdates = Collections.synchronizedList(new ArrayList<>());
    volatile String rejectTrackingAt;
    static final String GPU = "tpo-gpu";
    static final String CONTROL = "tpo-control";
    volatile String failOnceAt;
    volatile String rejectInputAt;
    /** Call to the URI its first attempt reports as corrupt (an input that no longer hashes to its digest). */
    final Map<String, String> corruptInputOnce = new ConcurrentHashMap<>();

    volatile CountDownLatch trainGate;
    /** The iteration whose training waits for {@link #trainGate}; 0: every iteration's. */
    volatile int trainGateIteration;

    final CountDownLatch trainStarted = new CountDownLatch(1);
    /** When set, iteration 1's report waits for it, so a test can act while the iteration ends. */
    volatile CountDownLatch reportGate;

    final CountDownLatch reportStarted = new CountDownLatch(1);
    /** Shard n of a fan-out finishes n times this late, so each completion wakes the workflow on its own. */
    volatile long shardStaggerMillis;

    static ArtifactRef ref(String name) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
            return new ArtifactRef("file:///artifacts/" + name, HexFormat.of().formatHex(d), name.length());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private void called(String call, String expectedQueue) {
        String queue = Activity.getExecutionContext().getInfo().getActivityTaskQueue();
        if (!queue.equals(expectedQueue)) {
            throw ApplicationFailure.newNonRetryableFailure(
                    call + " ran on " + queue + ", expected " + expectedQueue, "WrongQueue");
        }
        int attempt = attempts.computeIfAbsent(call, c -> new AtomicInteger()).incrementAndGet();
        calls.add(call);
        if (call.equals(rejectInputAt)) {
            throw ApplicationFailure.newNonRetryableFailure(
                    "prompts.jsonl:3: missing field 'prompt'", Failures.INVALID_INPUT);
        }
        String corrupt = corruptInputOnce.get(call);
        if (corrupt != null && attempt == 1) {
            throw ApplicationFailure.newNonRetryableFailure(
                    "digest mismatch for " + corrupt,
                    Failures.ARTIFACT_INTEGRITY,
                    new CorruptArtifact(corrupt, "a".repeat(64), "b".repeat(64)));
        }
        if (call.equals(failOnceAt) && attempt == 1) {
            throw new IllegalStateException("worker lost its GPU");
        }
    }

    private void stagger(int shard) {
        try {
            Thread.sleep(shard * shardStaggerMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public RunInputs prepareRun(PrepareRunInput input) {
        called("prepare", CONTROL);
        return new RunInputs(ref("seed/"), ref("train.jsonl"), ref("eval.jsonl"), 100, 10, null, null);
    }

    @Override
    public PromptSelection selectPrompts(SelectPromptsInput input) {
        called("select:" + input.iteration(), CONTROL);
        List<ArtifactRef> shards = new ArrayList<>();
        for (int s = 0; s < input.shardCount(); s++) {
            shards.add(ref("iter-" + input.iteration() + "/prompts-" + s + ".jsonl"));
        }
        return new PromptSelection(
                ref("iter-" + input.iteration() + "/prompts.jsonl"), shards, input.promptsPerIteration(), false);
    }

    @Override
    public GenerateOutput generate(GenerateInput input) {
        called("generate:" + input.iteration() + ":" + input.shard(), GPU);
        stagger(input.shard());
        return new GenerateOutput(
                ref("iter-" + input.iteration() + "/generations-" + input.shard() + ".jsonl"),
                2,
                2 * input.generation().samplesPerPrompt(),
                1,
                100,
                1.5,
                false);
    }

    @Override
    public JudgeOutput judge(JudgeInput input) {
        called("judge:" + input.iteration() + ":" + input.shard(), CONTROL);
        judgeInputs.add(input);
        stagger(input.shard());
        return new JudgeOutput(
                ref("iter-" + input.iteration() + "/judgements-" + input.shard() + ".jsonl"), 8, 1, 0.5, false);
    }

    @Override
    public PairOutput pair(PairInput input) {
        called("pair:" + input.iteration(), CONTROL);
        return new PairOutput(
                ref("iter-" + input.iteration() + "/pairs.jsonl"), new PairSummary(6, 5, 1, 0, 3, 48, 10.0, 12.0, 0.8));
    }

    @Override
    public ArtifactRef referenceLogProbs(ReferenceLogProbsInput input) {
        called("reference:" + input.iteration(), GPU);
        return ref("iter-" + input.iteration() + "/ref-logps.jsonl");
    }

    @Override
    public TrainOutput train(TrainInput input) {
        called("train:" + input.iteration(), GPU);
        trainInputs.add(input);
        trainStarted.countDown();
        CountDownLatch gate = trainGate;
        if (gate != null && (trainGateIteration == 0 || trainGateIteration == input.iteration())) {
            try {
                if (!gate.await(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("test never opened the training gate");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return new TrainOutput(
                ref("iter-" + input.iteration() + "/model/"),
                3,
                0,
                Map.of("loss", 0.5, "rewards/accuracies", 1.0),
                ref("iter-" + input.iteration() + "/metrics.jsonl"),
                2.0,
                false);
    }

    @Override
    public AnswerOutput answer(AnswerInput input) {
        called(
                "answer:" + input.iteration() + ":" + input.label() + ":"
                        + input.thought().mode(),
                GPU);
        return new AnswerOutput(
                ref("iter-" + input.iteration() + "/answers-" + input.label() + ".jsonl"), 10, 0, 1.0, false);
    }

    @Override
    public EvalOutput evaluate(EvaluateInput input) {
        called("evaluate:" + input.iteration(), CONTROL);
        double score = 40 + 10 * input.iteration();
        return new EvalOutput(
                ref("iter-" + input.iteration() + "/eval.jsonl"),
                ref("iter-" + input.iteration() + "/eval-summary.json"),
                new EvalResult(10, "accuracy", score, null, null, score, 0.0, 20, 5, Map.of("math", score)),
                0.2);
    }

    @Override
    public ArtifactRef writeIterationReport(ReportInput input) {
        called("report:" + input.summary().iteration(), CONTROL);
        CountDownLatch gate = reportGate;
        if (gate != null && input.summary().iteration() == 1) {
            reportStarted.countDown();
            try {
                if (!gate.await(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("test never opened the report gate");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return ref("iter-" + input.summary().iteration() + "/report.json");
    }

    @Override
    public ArtifactRef writeRunReport(RunReportInput input) {
        called("run-report", CONTROL);
        return ref("report.json");
    }

    @Override
    public TrackedRun startTracking(TrackingStart input) {
        called("track-start", CONTROL);
        String id = "mlflow-" + input.run().runId();
        return new TrackedRun("7", id, input.spec().tracking().mlflowUri() + "/#/experiments/7/runs/" + id);
    }

    @Override
    public void trackIterations(TrackingUpdate input) {
        tracked("track:" + input.iterations().size(), input);
    }

    @Override
    public void finishTracking(TrackingUpdate input) {
        tracked("track-finish:" + input.status(), input);
    }

    private void tracked(String call, TrackingUpdate input) {
        called(call, CONTROL);
        if (call.equals(rejectTrackingAt)) {
            throw ApplicationFailure.newNonRetryableFailure(
                    "POST /api/2.0/mlflow/runs/log-batch answered 403", Failures.INVALID_INPUT);
        }
        trackingUpdates.add(input);
    }

    long count(String prefix) {
        synchronized (calls) {
            return calls.stream().filter(c -> c.startsWith(prefix)).count();
        }
    }
}
