package dev.tpo.workflows;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tpo.api.ArtifactRef;
import dev.tpo.api.Failures;
import dev.tpo.api.activities.EvaluateActivity;
import dev.tpo.api.activities.PrepareRunActivity;
import dev.tpo.api.activities.ReportActivity;
import dev.tpo.api.activities.TrackingActivity;
import dev.tpo.api.spec.InvalidRunSpecException;
import dev.tpo.api.spec.RunSpec;
import dev.tpo.api.spec.RunSpecParser;
import dev.tpo.api.spec.SpecDigest;
import dev.tpo.api.spec.ThoughtSettings;
import dev.tpo.api.steps.AnswerInput;
import dev.tpo.api.steps.AnswerOutput;
import dev.tpo.api.steps.EvalOutput;
import dev.tpo.api.steps.EvalResult;
import dev.tpo.api.steps.EvaluateInput;
import dev.tpo.api.steps.IterationArtifacts;
import dev.tpo.api.steps.IterationSummary;
import dev.tpo.api.steps.PrepareRunInput;
import dev.tpo.api.steps.RunContext;
import dev.tpo.api.steps.RunInputs;
import dev.tpo.api.steps.RunProgress;
import dev.tpo.api.steps.RunReportInput;
import dev.tpo.api.steps.RunResult;
import dev.tpo.api.steps.TrackedRun;
import dev.tpo.api.steps.TrackingStart;
import dev.tpo.api.steps.TrackingUpdate;
import io.temporal.activity.ActivityOptions;
import io.temporal.api.enums.v1.ParentClosePolicy;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Promise;
import io.temporal.workflow.SignalExternalWorkflowException;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

public final class TpoRunWorkflowImpl implements TpoRunWorkflow {
    /**
     * One parser per JVM, not per run: its Jackson deserializers for the spec's records are built once. Building
     * them inside a run's first workflow task made it exceed the SDK's 1 s deadlock detection on a loaded machine
     * (a WorkflowTaskFailed in the run's history, then a retry). Immutable and thread-safe.
     */
    private static final RunSpecParser SPECS = new RunSpecParser();
    private static final String SAMPLE_SPEC = "{\"name\": \"warm-up\", \"seed_policy\": \"file:///seed/\", "
            + "\"train_prompts\": \"file:///train.jsonl\", \"eval_prompts\": \"file:///eval.jsonl\"}";

    private final List<IterationSummary> finished = new ArrayList<>();
    private final Map<String, Double> latestMetrics = new LinkedHashMap<>();
    private String status = "running";
    private String step = "validate";
    private int iteration;
    private int iterations;
    private int shardsDone;
    private int shardsTotal;
    private boolean paused;
    private boolean stopRequested;
    private EvalResult seedEval;
    private String currentChildId;
    private RunSpec spec;
    private StepSummaries summaries;
    private String specSha256;
    private String manifestUri;
    private RunContext run;
    private StepOptions options;
    private TrackedRun tracked;
    private IterationArtifacts seedArtifacts;
    private long seedEvaluatedAtMillis;
    private String trackingProblem;

    @Override
    public RunResult run(JsonNode specJson) {
        specSha256 = SpecDigest.of(specJson);
        try {
            return runValidated(specJson);
        } catch (RuntimeException e) {
            // A query after the run ended replays to here too, so progress answers "failed" from then on.
            status = "failed";
            if (spec == null && specJson.path("name").isTextual()) {
                // An invalid spec still names its run, so the failed run is found by name.
                Workflow.upsertTypedSearchAttributes(TpoSearchAttributes.RUN_NAME.valueSet(
                        specJson.path("name").asText()));
            }
            Workflow.upsertTypedSearchAttributes(TpoSearchAttributes.STATUS.valueSet(status));
            showDetails();
            if (tracked != null) {
                finishTracking(null);
            }
            throw e;
        }
    }

    private RunResult runValidated(JsonNode specJson) {
        spec = validate(specJson);
        iterations = spec.iterations();
        summaries = new StepSummaries(spec);
        String runId = Workflow.getInfo().getWorkflowId();
        run = new RunContext(runId, spec.artifactRoot());
        manifestUri = run.manifestUri();
        memo(spec, "running");
        Workflow.upsertTypedSearchAttributes(
                TpoSearchAttributes.RUN_NAME.valueSet(spec.name()),
                TpoSearchAttributes.THOUGHT_MODE.valueSet(spec.thought().mode()),
                TpoSearchAttributes.SEED_POLICY.valueSet(spec.seedPolicy()),
                TpoSearchAttributes.STATUS.valueSet(status),
                TpoSearchAttributes.ITERATION.valueSet(0L),
                TpoSearchAttributes.STEP.valueSet("prepare"));
        options = new StepOptions(spec.taskQueues(), Duration.ofSeconds(spec.heartbeatTimeoutSeconds()));
        if (spec.tracked()) {
            // Before any work, so a tracking server that refuses the run (credentials, a bad URL) fails it at once;
            // the memo then links to the MLflow run, whose tags link back to this workflow.
            tracked = stub(TrackingActivity.class, options.control(), summaries.trackingStart())
                    .startTracking(new TrackingStart(run, spec, specSha256, Workflow.currentTimeMillis()));
            memo(spec, "running");
        }

        step = "prepare";
        showDetails();
        RunInputs inputs = stub(PrepareRunActivity.class, options.control(), summaries.prepare())
                .prepareRun(new PrepareRunInput(run, spec));

        step = "baseline";
        Workflow.upsertTypedSearchAttributes(TpoSearchAttributes.STEP.valueSet(step));
        showDetails();
        Promise<ArtifactRef> baseline = answerBaseline(run, spec, inputs, options);
        Promise<EvalResult> seedEvaluation = spec.evaluation().evaluateSeed()
                ? Async.function(() -> evaluateSeed(run, spec, inputs, options, baseline))
                : null;
        ArtifactRef baselineAnswers = baseline.get();

        ArtifactRef policy = inputs.seedPolicy();
        for (int k = 1; k <= spec.iterations(); k++) {
            Workflow.await(() -> !paused);
            iteration = k;
            // The iteration's first step; it reports each later one (reportStep).
            step = "select";
            memo(spec, "running");
            Workflow.upsertTypedSearchAttributes(TpoSearchAttributes.ITERATION.valueSet((long) k),
                    TpoSearchAttributes.STEP.valueSet(step));
            currentChildId = runId + "-iter-" + k;
            TpoIterationWorkflow child = Workflow.newChildWorkflowStub(TpoIterationWorkflow.class,
                    ChildWorkflowOptions.newBuilder()
                            .setWorkflowId(currentChildId)
                            .setTaskQueue(spec.taskQueues().control())
                            .setParentClosePolicy(ParentClosePolicy.PARENT_CLOSE_POLICY_TERMINATE)
                            .setStaticSummary(RunDescriptions.iterationSummary(spec, k))
                            .setStaticDetails(RunDescriptions.iterationDetails(spec, specSha256, runId,
                                    policy.uri()))
                            .build());
            IterationSummary summary = failingFastWith(seedEvaluation, Async.function(child::run,
                    new IterationInput(run, k, spec, inputs, policy, baselineAnswers, paused)));
            currentChildId = null;
            finished.add(summary);
            policy = summary.policy();
            showDetails();
            trackIterations();
            if (stopRequested) {
                break;
            }
        }

        seedEval = seedEvaluation == null ? null : seedEvaluation.get();
        step = "report";
        Workflow.upsertTypedSearchAttributes(TpoSearchAttributes.STEP.valueSet(step));
        showDetails();
        ArtifactRef report = stub(ReportActivity.class, options.control(), summaries.runReport())
                .writeRunReport(new RunReportInput(run, spec.name(), spec.thought().mode(), seedEval,
                        seedArtifacts, baselineAnswers, List.copyOf(finished)));
        status = finished.size() < spec.iterations() ? "stopped" : "completed";
        step = "done";
        if (tracked != null) {
            finishTracking(report);
        }
        memo(spec, status);
        Workflow.upsertTypedSearchAttributes(TpoSearchAttributes.STATUS.valueSet(status),
                TpoSearchAttributes.STEP.valueSet(step));
        showDetails();
        return new RunResult(runId, spec.name(), status, seedEval, List.copyOf(finished), policy, report);
    }

    private static RunSpec validate(JsonNode specJson) {
        try {
            return SPECS.parse(specJson);
        } catch (InvalidRunSpecException e) {
            throw ApplicationFailure.newNonRetryableFailure(e.getMessage(), Failures.INVALID_INPUT,
                    (Object) e.problems().toArray(new String[0]));
        }
    }

    /**
     * Does once, when a worker starts, the first-use work of a run's first workflow task (class loading and JIT of
     * spec validation, digests and descriptions), so no run pays it inside the deadlock detector's window.
     */
    public static void warmUp() {
        JsonNode json;
        try {
            json = new ObjectMapper().readTree(SAMPLE_SPEC);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the warm-up spec is valid JSON", e);
        }
        RunSpec spec = SPECS.parse(json);
        RunDescriptions.runDetails(spec, SpecDigest.of(json));
        new StepSummaries(spec).train(1);
    }

    /** The baseline's answers, compared against in every evaluation; null when the run has no baseline. */
    private Promise<ArtifactRef> answerBaseline(RunContext run, RunSpec spec, RunInputs inputs,
                                                StepOptions options) {
        if (!spec.evaluation().hasBaseline()) {
            return Workflow.newPromise(null);
        }
        EvaluateActivity answering = stub(EvaluateActivity.class, options.gpu(Duration.ofHours(6)),
                summaries.answer("baseline", false));
        ArtifactRef baselineModel = inputs.baselineModel() != null ? inputs.baselineModel() : inputs.seedPolicy();
        return Async.function(answering::answer, new AnswerInput(run, 0, "baseline", baselineModel,
                inputs.evalPrompts(), new ThoughtSettings("none", null, null), spec.evaluation(), spec.seed(),
                spec.compute())).thenApply(AnswerOutput::answers);
    }

    /**
     * The seed's own evaluation under the run's thought mode, the row every iteration is read against. No
     * iteration needs it, so it runs beside them: its answers start together with the baseline's.
     */
    private EvalResult evaluateSeed(RunContext run, RunSpec spec, RunInputs inputs, StepOptions options,
                                    Promise<ArtifactRef> baseline) {
        AnswerOutput answers = stub(EvaluateActivity.class, options.gpu(Duration.ofHours(6)),
                summaries.answer("seed", spec.thought().thinks()))
                .answer(new AnswerInput(run, 0, "policy", inputs.seedPolicy(),
                        inputs.evalPrompts(), spec.thought(), spec.evaluation(), spec.seed(), spec.compute()));
        EvalOutput eval = stub(EvaluateActivity.class, options.judge(spec.judge()),
                summaries.evaluate(0, spec.evaluation().hasBaseline()))
                .evaluate(new EvaluateInput(run, 0, answers.answers(), baseline.get(), spec.evaluation(),
                        spec.judge(), inputs.judgeModel(), spec.compute()));
        // An iteration that finished first has the newer score.
        latestMetrics.putIfAbsent("eval/score", eval.result().score());
        seedArtifacts = new IterationArtifacts(null, null, answers.answers(), eval.judgements());
        seedEvaluatedAtMillis = Workflow.currentTimeMillis();
        // Shown by progress and the details as soon as it exists, not only when the run ends.
        seedEval = eval.result();
        showDetails();
        return eval.result();
    }

    /**
     * The seed's and each finished iteration's metrics to MLflow. Tracking is for people watching the run, so a
     * tracking server that stays away past the retries does not fail hours of training: the problem is shown in the
     * details, and the next update (every update carries everything so far) makes it good.
     */
    private void trackIterations() {
        if (tracked == null) {
            return;
        }
        try {
            stub(TrackingActivity.class, options.control(), summaries.trackingUpdate(finished.size()))
                    .trackIterations(trackingUpdate("running", null));
            trackingProblem = null;
        } catch (ActivityFailure e) {
            trackingProblem = "MLflow logging failed after iteration " + finished.size() + ": "
                    + rootMessage(e);
            showDetails();
        }
    }

    /** Ends the MLflow run with the run's status (and its report, when there is one); never fails the run. */
    private void finishTracking(ArtifactRef report) {
        try {
            stub(TrackingActivity.class, options.control(), summaries.trackingFinish(status))
                    .finishTracking(trackingUpdate(status, report));
        } catch (ActivityFailure e) {
            trackingProblem = "MLflow could not be told the run ended: " + rootMessage(e);
            showDetails();
        }
    }

    private TrackingUpdate trackingUpdate(String runStatus, ArtifactRef report) {
        return new TrackingUpdate(run, spec.tracking(), tracked, seedEval, seedArtifacts, seedEvaluatedAtMillis,
                List.copyOf(finished), runStatus, report, Workflow.currentTimeMillis());
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t instanceof ApplicationFailure a ? a.getOriginalMessage() : t.getMessage();
    }

    /** An activity stub whose every call carries {@code summary}, shown beside it in the Web UI. */
    private static <T> T stub(Class<T> activity, ActivityOptions options, String summary) {
        return Workflow.newActivityStub(activity, ActivityOptions.newBuilder(options).setSummary(summary).build());
    }

    /**
     * The run's identity and progress as the workflow's current details (markdown in the Web UI): what the static
     * details say for runs started by {@code tpo start}, so runs started from the UI's form show it too.
     */
    private void showDetails() {
        StringBuilder md = new StringBuilder();
        md.append("**").append(spec != null ? RunDescriptions.runSummary(spec) : "TPO run (invalid spec)")
                .append("** — ").append(status).append(status.equals("running") ? ", " + step : "").append("\n\n");
        if (spec != null) {
            md.append(RunDescriptions.runDetails(spec, specSha256));
            md.append(RunDescriptions.row("manifest", RunDescriptions.code(manifestUri)));
            if (tracked != null) {
                md.append(RunDescriptions.row("MLflow run", "[" + tracked.mlflowRunId() + "](" + tracked.runUrl()
                        + ")"));
            }
            if (trackingProblem != null) {
                md.append(RunDescriptions.row("tracking problem", trackingProblem.replace("|", "\\|")));
            }
            md.append("\n| iteration | state | eval score | pairs | malformed samples |\n|---|---|---|---|---|\n");
            if (seedEval != null) {
                md.append(String.format(Locale.ROOT, "| seed | evaluated | %.2f | | |%n", seedEval.score()));
            }
            for (IterationSummary it : finished) {
                md.append(String.format(Locale.ROOT, "| %d | done | %.2f | %d | %d/%d |%n", it.iteration(),
                        it.eval().score(), it.pairs().pairs(), it.malformedSamples(), it.samples()));
            }
            if (status.equals("running") && iteration > finished.size()) {
                md.append("| ").append(iteration).append(" | running: ").append(step).append(" | | | |\n");
            }
        } else {
            md.append(RunDescriptions.row("spec sha256", RunDescriptions.code(specSha256)));
        }
        Workflow.setCurrentDetails(md.toString());
    }

    /**
     * The iteration's summary; a failure of {@code beside} fails the run as soon as it happens rather than after
     * the iteration.
     */
    private static <T> T failingFastWith(Promise<?> beside, Promise<T> main) {
        if (beside != null) {
            Promise.anyOf(main, beside).get();
            if (beside.isCompleted()) {
                beside.get();
            }
        }
        return main.get();
    }

    private void memo(RunSpec spec, String runStatus) {
        Map<String, Object> memo = new LinkedHashMap<>();
        memo.put("run_name", spec.name());
        memo.put("seed_policy", spec.seedPolicy());
        memo.put("thought_mode", spec.thought().mode());
        memo.put("iteration", iteration);
        memo.put("iterations", spec.iterations());
        memo.put("status", runStatus);
        memo.put("spec_sha256", specSha256);
        memo.put("manifest_uri", manifestUri);
        if (tracked != null) {
            memo.put("mlflow_run_url", tracked.runUrl());
        }
        Workflow.upsertMemo(memo);
    }

    @Override
    public RunProgress progress() {
        String shown = paused ? "paused" : stopRequested && status.equals("running") ? "stopping" : status;
        return new RunProgress(shown, iteration, iterations, step, shardsDone, shardsTotal,
                Map.copyOf(latestMetrics), seedEval, List.copyOf(finished));
    }

    @Override
    public void pause() {
        paused = true;
        forwardToIteration(true);
        showStatus();
    }

    @Override
    public void resume() {
        paused = false;
        forwardToIteration(false);
        showStatus();
    }

    /** A pause shows in the run list too; only a running run changes between running and paused. */
    private void showStatus() {
        if (spec != null && status.equals("running")) {
            Workflow.upsertTypedSearchAttributes(TpoSearchAttributes.STATUS.valueSet(paused ? "paused" : status));
        }
    }

    private void forwardToIteration(boolean pause) {
        if (currentChildId == null) {
            return;
        }
        TpoIterationWorkflow child = Workflow.newExternalWorkflowStub(TpoIterationWorkflow.class, currentChildId);
        try {
            if (pause) {
                child.pause();
            } else {
                child.resume();
            }
        } catch (SignalExternalWorkflowException e) {
            // The iteration has not started or has just finished: it reads the run's pause state when it starts
            // (IterationInput.startPaused) and the run holds before the next one, so nothing is lost.
        }
    }

    @Override
    public void stopAfterIteration() {
        stopRequested = true;
    }

    @Override
    public void reportStep(StepProgress progress) {
        if (!progress.step().equals(step) || progress.iteration() != iteration) {
            Workflow.upsertTypedSearchAttributes(TpoSearchAttributes.ITERATION.valueSet((long) progress.iteration()),
                    TpoSearchAttributes.STEP.valueSet(progress.step()));
        }
        iteration = progress.iteration();
        step = progress.step();
        shardsDone = progress.shardsDone();
        shardsTotal = progress.shardsTotal();
        latestMetrics.putAll(progress.metrics());
    }
}
