package dev.tpo.workflows;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tpo.api.ArtifactRef;
import dev.tpo.api.Failures;
import dev.tpo.api.activities.AnswerActivity;
import dev.tpo.api.spec.InvalidRunSpecException;
import dev.tpo.api.spec.RunSpec;
import dev.tpo.api.spec.RunSpecParser;
import dev.tpo.api.spec.SpecDigest;
import dev.tpo.api.spec.ThoughtMode;
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
import io.temporal.api.enums.v1.ParentClosePolicy;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.ContinueAsNewOptions;
import io.temporal.workflow.Promise;
import io.temporal.workflow.SignalExternalWorkflowException;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInfo;
import java.util.ArrayList;
import java.util.List;

public final class TpoRunWorkflowImpl implements TpoRunWorkflow {
    /**
     * One parser per JVM, not per run: its Jackson deserializers for the spec's records are built once. Building
     * them inside a run's first workflow task made it exceed the SDK's 1 s deadlock detection on a loaded machine
     * (a WorkflowTaskFailed in the run's history, then a retry). Immutable and thread-safe.
     */
    private static final RunSpecParser SPECS = new RunSpecParser();

    private static final String SAMPLE_SPEC = "{\"name\": \"warm-up\", \"seed_policy\": \"file:///seed/\", "
            + "\"train_prompts\": \"file:///train.jsonl\", \"eval_prompts\": \"file:///eval.jsonl\"}";

    /**
     * A run continues as new at the first iteration boundary where its history has at least this many events (or
     * the server suggests it): below the server's 10,240-event warning, and far enough below its 51,200-event limit
     * that the iteration before the boundary always fits (a few hundred run events at any shard count, since a fan-out
     * reports at most {@link IterationSteps#SHARD_REPORTS_PER_STEP} times).
     */
    public static final long CONTINUE_AS_NEW_AFTER_EVENTS = 10_000;

    /** Where a change of flow is recorded, so histories from before continue-as-new replay unchanged. */
    private static final String CONTINUE_AS_NEW_CHANGE = "continue-as-new";

    /** Where late reports of finished iterations stopped moving the run back. */
    private static final String LATE_REPORTS_CHANGE = "late-step-reports";

    private final long continueAsNewAfterEvents;
    private final RunState state = new RunState();
    private final RunDisplay display = new RunDisplay(state);
    private RunSpec spec;
    private RunContext run;
    private RunActivities activities;
    /** Null until the spec is valid. */
    private RunTracking tracking;
    /** The running iteration's workflow id, for forwarding pause and resume; null between iterations. */
    private String currentChildId;

    public TpoRunWorkflowImpl() {
        this(CONTINUE_AS_NEW_AFTER_EVENTS);
    }

    /**
     * A worker with another bound, through {@code registerWorkflowImplementationFactory} (tests use a tiny one). The
     * decision is taken again on replay, so every worker polling the control queue must use the same bound, as they
     * run the same workflow code; it is not a spec field because it is about the Temporal server's limits, not the
     * experiment, and the same spec should run the same way on any deployment.
     */
    public TpoRunWorkflowImpl(long continueAsNewAfterEvents) {
        this.continueAsNewAfterEvents = continueAsNewAfterEvents;
    }

    @Override
    public RunResult run(JsonNode specJson, RunContinuation continued) {
        state.specSha256 = SpecDigest.of(specJson);
        try {
            return runValidated(specJson, continued);
        } catch (RuntimeException e) {
            // A query after the run ended replays to here too, so progress answers "failed" from then on.
            state.status = "failed";
            display.failed(specJson);
            if (tracking != null) {
                tracking.finish(null);
            }
            throw e;
        }
    }

    private RunResult runValidated(JsonNode specJson, RunContinuation continued) {
        // Validated again after a continue-as-new: cheap, and the next run holds the spec as the user wrote it.
        spec = validate(specJson, Workflow.getInfo().getWorkflowId());
        state.spec = spec;
        run = new RunContext(Workflow.getInfo().getWorkflowId(), spec.artifactRoot());
        state.manifestUri = run.manifestUri();
        activities = new RunActivities(spec);
        RunInputs inputs;
        ArtifactRef baselineAnswers;
        ArtifactRef policy;
        // Null once it has finished in an earlier run of this workflow: a run continues as new only after it.
        Promise<EvalResult> seedEvaluation;
        if (continued == null) {
            startRun();
            inputs = prepare();
            display.step("baseline");
            Promise<ArtifactRef> baseline = answerBaseline(inputs);
            // No iteration needs the seed's own evaluation, so it runs beside them; its answers start with the
            // baseline's.
            seedEvaluation =
                    spec.evaluation().evaluateSeed() ? Async.function(() -> evaluateSeed(inputs, baseline)) : null;
            baselineAnswers = baseline.get();
            policy = inputs.seedPolicy();
        } else {
            state.continueFrom(continued);
            tracking = new RunTracking(run, state, activities, display);
            display.continued();
            inputs = continued.inputs();
            baselineAnswers = continued.baselineAnswers();
            policy = continued.policy();
            seedEvaluation = null;
        }

        for (int k = state.finished.size() + 1; k <= spec.iterations(); k++) {
            Workflow.await(() -> !state.paused); // a paused run holds before its next iteration
            IterationSummary summary = runIteration(
                    new IterationInput(run, k, spec, inputs, policy, baselineAnswers, state.paused), seedEvaluation);
            policy = summary.policy();
            if (state.stopRequested) {
                break;
            }
            if (k < spec.iterations() && historyIsLong(seedEvaluation)) {
                continueAsNew(specJson, state.continuation(inputs, baselineAnswers, policy));
            }
        }

        if (seedEvaluation != null) {
            seedEvaluation.get(); // its result is in the state once it has finished
        }
        EvalResult seedEval = state.seedResult();
        ArtifactRef report = writeReport(seedEval, baselineAnswers);
        state.status = state.finished.size() < spec.iterations() ? "stopped" : "completed";
        state.step = "done";
        tracking.finish(report);
        display.ended();
        return new RunResult(
                run.runId(), spec.name(), state.status, seedEval, List.copyOf(state.finished), policy, report);
    }

    private static RunSpec validate(JsonNode specJson, String runId) {
        List<String> problems = new ArrayList<>();
        String runIdProblem = RunContext.runIdProblem(runId);
        if (runIdProblem != null) {
            problems.add(runIdProblem);
        }
        RunSpec spec = null;
        try {
            spec = SPECS.parse(specJson);
        } catch (InvalidRunSpecException e) {
            problems.addAll(e.problems());
        }
        if (!problems.isEmpty()) {
            throw ApplicationFailure.newNonRetryableFailure(
                    new InvalidRunSpecException(problems).getMessage(), Failures.INVALID_INPUT, (Object)
                            problems.toArray(new String[0]));
        }
        return spec;
    }

    /** The run becomes findable by its spec in the run list, and its MLflow run starts when the spec asks for one. */
    private void startRun() {
        display.validated();
        tracking = new RunTracking(run, state, activities, display);
        if (spec.tracked()) {
            // Before any work, so a tracking server that refuses the run (credentials, a bad URL) fails it at once;
            // the memo then links to the MLflow run, whose tags link back to this workflow.
            tracking.start();
            display.memo();
        }
    }

    /** Validates the inputs and pins seed, prompts and models by SHA-256, so every iteration reads the same ones. */
    private RunInputs prepare() {
        state.step = "prepare";
        display.details();
        return activities.prepare().prepareRun(new PrepareRunInput(run, spec));
    }

    /** The baseline's answers, compared against in every evaluation; null when the run has no baseline. */
    private Promise<ArtifactRef> answerBaseline(RunInputs inputs) {
        if (!spec.evaluation().hasBaseline()) {
            return Workflow.newPromise(null);
        }
        AnswerActivity answering = activities.baselineAnswers();
        ArtifactRef baselineModel = inputs.baselineModel() != null ? inputs.baselineModel() : inputs.seedPolicy();
        return Async.function(
                        answering::answer,
                        new AnswerInput(
                                run,
                                0,
                                "baseline",
                                baselineModel,
                                inputs.evalPrompts(),
                                new ThoughtSettings(ThoughtMode.NONE, null, null),
                                spec.evaluation(),
                                spec.seed(),
                                spec.compute()))
                .thenApply(AnswerOutput::answers);
    }

    /** The seed's own evaluation under the run's thought mode, the row every iteration is read against. */
    private EvalResult evaluateSeed(RunInputs inputs, Promise<ArtifactRef> baseline) {
        AnswerOutput answers = activities
                .seedAnswers()
                .answer(new AnswerInput(
                        run,
                        0,
                        "policy",
                        inputs.seedPolicy(),
                        inputs.evalPrompts(),
                        spec.thought(),
                        spec.evaluation(),
                        spec.seed(),
                        spec.compute()));
        EvalOutput eval = activities
                .seedEvaluation()
                .evaluate(new EvaluateInput(
                        run,
                        0,
                        answers.answers(),
                        baseline.get(),
                        spec.evaluation(),
                        spec.judge(),
                        inputs.judgeModel(),
                        spec.compute()));
        state.seedEvaluated(new SeedEvaluation(
                eval.result(),
                new IterationArtifacts(null, null, answers.answers(), eval.judgements()),
                Workflow.currentTimeMillis()));
        // Shown by progress and the details as soon as it exists, not only when the run ends.
        display.details();
        return eval.result();
    }

    /**
     * One iteration as a child workflow, so each iteration's history is its own and the run's stays small. A failed
     * seed evaluation ({@code beside}) fails the run as soon as it happens rather than after the iteration.
     */
    private IterationSummary runIteration(IterationInput input, Promise<?> beside) {
        display.iterationStarted(input.iteration());
        currentChildId = run.runId() + "-iter-" + input.iteration();
        TpoIterationWorkflow child = Workflow.newChildWorkflowStub(
                TpoIterationWorkflow.class,
                ChildWorkflowOptions.newBuilder()
                        .setWorkflowId(currentChildId)
                        .setTaskQueue(spec.taskQueues().control())
                        .setParentClosePolicy(ParentClosePolicy.PARENT_CLOSE_POLICY_TERMINATE)
                        .setStaticSummary(RunDescriptions.iterationSummary(spec, input.iteration()))
                        .setStaticDetails(RunDescriptions.iterationDetails(
                                spec,
                                state.specSha256,
                                run.runId(),
                                input.policy().uri()))
                        .build());
        IterationSummary summary = failingFastWith(beside, Async.function(child::run, input));
        currentChildId = null;
        state.finished.add(summary);
        display.details();
        tracking.iterationFinished();
        return summary;
    }

    /**
     * Whether the run should continue as new before its next iteration: its history has passed the bound or the
     * server suggests it, and nothing runs beside the iterations (the seed's evaluation would be cut off).
     */
    private boolean historyIsLong(Promise<?> beside) {
        WorkflowInfo info = Workflow.getInfo();
        boolean full = info.getHistoryLength() >= continueAsNewAfterEvents || info.isContinueAsNewSuggested();
        return full
                && (beside == null || beside.isCompleted())
                // Asked only here, so a run that never continues records no marker; a history from before the
                // change replays as it ran (the default version), going on in the same run.
                && Workflow.getVersion(CONTINUE_AS_NEW_CHANGE, Workflow.DEFAULT_VERSION, 1) >= 1;
    }

    /**
     * Ends this run and starts the next one of the same workflow (same id, new history) at the next iteration, with
     * the search attributes and memo as they stand; the next run sets its details again.
     */
    private void continueAsNew(JsonNode specJson, RunContinuation continuation) {
        // A signal handler still forwarding a pause would be cut off; it has nothing to wait for between iterations.
        Workflow.await(Workflow::isEveryHandlerFinished);
        ContinueAsNewOptions next = ContinueAsNewOptions.newBuilder()
                .setTypedSearchAttributes(display.continuingAsNew())
                .setMemo(display.memoFields())
                .build();
        Workflow.continueAsNew(next, specJson, continuation);
    }

    /** {@code main}'s result; a failure of {@code beside} (when there is one) fails it as soon as it happens. */
    private static <T> T failingFastWith(Promise<?> beside, Promise<T> main) {
        if (beside != null) {
            Promise.anyOf(main, beside).get();
            if (beside.isCompleted()) {
                beside.get();
            }
        }
        return main.get();
    }

    private ArtifactRef writeReport(EvalResult seedEval, ArtifactRef baselineAnswers) {
        display.step("report");
        return activities
                .report()
                .writeRunReport(new RunReportInput(
                        run,
                        spec.name(),
                        spec.thought().mode().wireName(),
                        seedEval,
                        state.seedArtifacts(),
                        baselineAnswers,
                        List.copyOf(state.finished)));
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

    @Override
    public RunProgress progress() {
        return state.progress();
    }

    @Override
    public void pause() {
        state.paused = true;
        forwardToIteration(true);
        display.pausedOrResumed();
    }

    @Override
    public void resume() {
        state.paused = false;
        forwardToIteration(false);
        display.pausedOrResumed();
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
        state.stopRequested = true;
    }

    @Override
    public void reportStep(StepProgress progress) {
        // Asked only for a late report, so runs without one record no marker and older histories replay unchanged.
        if (state.late(progress) && Workflow.getVersion(LATE_REPORTS_CHANGE, Workflow.DEFAULT_VERSION, 1) >= 1) {
            state.recordMetrics(progress);
            return;
        }
        if (state.movedOn(progress)) {
            display.iterationStep(progress.iteration(), progress.step());
        }
        state.record(progress);
    }
}
