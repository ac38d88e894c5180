package dev.tpo.cli;

import dev.tpo.activities.StepEnvironment;
import dev.tpo.api.ArtifactRef;
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
import dev.tpo.api.steps.RunContext;
import dev.tpo.api.steps.RunInputs;
import dev.tpo.api.steps.RunReportInput;
import dev.tpo.api.steps.SelectPromptsInput;
import dev.tpo.api.steps.TrainInput;
import dev.tpo.api.steps.TrainOutput;
import dev.tpo.workers.StepImplementations;
import io.temporal.activity.Activity;
import io.temporal.failure.ApplicationFailure;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Test double for every step (the real ones need models): each writes a small object through the worker's artifact
 * stores, so the S3 wiring is exercised, and returns its reference. Training waits for a gate, so a test can look
 * at a run mid-step; a run whose id starts with "bad-" fails at prompt selection with an input error.
 */
final class ScriptedSteps
        implements StepImplementations,
                PrepareRunActivity,
                SelectPromptsActivity,
                GenerateActivity,
                JudgeActivity,
                PairActivity,
                ReferenceLogProbsActivity,
                TrainActivity,
                AnswerActivity,
                EvaluateActivity,
                ReportActivity {
    final List<String> calls = Collections.synchronizedList(new ArrayList<>());
    final CountDownLatch trainStarted = new CountDownLatch(1);
    final CountDownLatch trainGate = new CountDownLatch(1);
    private final StepEnvironment env;

    ScriptedSteps(StepEnvironment env) {
        this.env = env;
    }

    @Override
    public List<Object> control() {
        return List.of(this);
    }

    @Override
    public List<Object> gpu() {
        return List.of(this);
    }

    private ArtifactRef write(RunContext run, String name) {
        calls.add(name + "@" + Activity.getExecutionContext().getInfo().getActivityTaskQueue());
        String uri = run.artifactRoot() + run.runPrefix() + name;
        return env.stores()
                .locate(uri)
                .store()
                .putBytes(env.stores().locate(uri).key(), name.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public RunInputs prepareRun(PrepareRunInput input) {
        return new RunInputs(
                write(input.run(), "seed.txt"),
                write(input.run(), "train.jsonl"),
                write(input.run(), "eval.jsonl"),
                100,
                10,
                null,
                null);
    }

    @Override
    public PromptSelection selectPrompts(SelectPromptsInput input) {
        if (input.run().runId().startsWith("bad-")) {
            throw ApplicationFailure.newNonRetryableFailure(
                    "train.jsonl:3: missing field 'prompt'", Failures.INVALID_INPUT);
        }
        List<ArtifactRef> shards = new ArrayList<>();
        for (int s = 0; s < input.shardCount(); s++) {
            shards.add(write(input.run(), "iter-" + input.iteration() + "/prompts-" + s + ".jsonl"));
        }
        return new PromptSelection(
                write(input.run(), "iter-" + input.iteration() + "/prompts.jsonl"),
                shards,
                input.promptsPerIteration(),
                false);
    }

    @Override
    public GenerateOutput generate(GenerateInput input) {
        return new GenerateOutput(
                write(input.run(), "iter-" + input.iteration() + "/generations-" + input.shard() + ".jsonl"),
                2,
                8,
                1,
                100,
                1.5,
                false);
    }

    @Override
    public JudgeOutput judge(JudgeInput input) {
        return new JudgeOutput(
                write(input.run(), "iter-" + input.iteration() + "/judgements-" + input.shard() + ".jsonl"),
                8,
                1,
                0.5,
                false);
    }

    @Override
    public PairOutput pair(PairInput input) {
        return new PairOutput(
                write(input.run(), "iter-" + input.iteration() + "/pairs.jsonl"),
                new PairSummary(6, 5, 1, 0, 3, 48, 10.0, 12.0, 0.8));
    }

    @Override
    public ArtifactRef referenceLogProbs(ReferenceLogProbsInput input) {
        return write(input.run(), "iter-" + input.iteration() + "/ref-logps.jsonl");
    }

    @Override
    public TrainOutput train(TrainInput input) {
        trainStarted.countDown();
        try {
            Activity.getExecutionContext().heartbeat("step 1/3");
            if (!trainGate.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test never opened the training gate");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return new TrainOutput(
                write(input.run(), "iter-" + input.iteration() + "/model.safetensors"),
                3,
                0,
                Map.of("loss", 0.5),
                write(input.run(), "iter-" + input.iteration() + "/metrics.jsonl"),
                2.0,
                false);
    }

    @Override
    public AnswerOutput answer(AnswerInput input) {
        return new AnswerOutput(
                write(input.run(), "iter-" + input.iteration() + "/answers-" + input.label() + ".jsonl"),
                10,
                0,
                1.0,
                false);
    }

    @Override
    public EvalOutput evaluate(EvaluateInput input) {
        double score = 40 + 10 * input.iteration();
        return new EvalOutput(
                write(input.run(), "iter-" + input.iteration() + "/eval.jsonl"),
                write(input.run(), "iter-" + input.iteration() + "/eval-summary.json"),
                new EvalResult(10, "accuracy", score, null, null, score, 0.0, 20, 5, Map.of("math", score)),
                0.2);
    }

    @Override
    public ArtifactRef writeIterationReport(ReportInput input) {
        return write(input.run(), "iter-" + input.summary().iteration() + "/report.json");
    }

    @Override
    public ArtifactRef writeRunReport(RunReportInput input) {
        return write(input.run(), "report.json");
    }
}
