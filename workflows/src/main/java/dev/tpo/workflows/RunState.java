package dev.tpo.workflows;

import dev.tpo.api.ArtifactRef;
import dev.tpo.api.spec.RunSpec;
import dev.tpo.api.steps.EvalResult;
import dev.tpo.api.steps.IterationArtifacts;
import dev.tpo.api.steps.IterationSummary;
import dev.tpo.api.steps.RunInputs;
import dev.tpo.api.steps.RunProgress;
import dev.tpo.api.steps.TrackedRun;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a run has done so far: the one place its progress query, memo, current details and MLflow updates read from.
 * The run workflow and its signals write it. Workflow state only: deterministic, no I/O.
 */
final class RunState {
    final List<IterationSummary> finished = new ArrayList<>();
    private final Map<String, Double> latestMetrics = new LinkedHashMap<>();
    /** Known before the spec is validated, so even a run with an invalid spec shows it. */
    String specSha256;
    /** Null until the spec is valid. */
    RunSpec spec;

    String manifestUri;
    String status = "running";
    String step = "validate";
    int iteration;
    private int shardsDone;
    private int shardsTotal;
    boolean paused;
    boolean stopRequested;
    /** Null until the seed's evaluation has finished, or when the run has none. */
    SeedEvaluation seed;
    /** Null unless the spec asks for tracking and the MLflow run has started. */
    TrackedRun tracked;
    /** Why the last MLflow update failed; null once one succeeds. */
    String trackingProblem;

    void seedEvaluated(SeedEvaluation evaluation) {
        // An iteration that finished first has the newer score.
        latestMetrics.putIfAbsent("eval/score", evaluation.result().score());
        seed = evaluation;
    }

    EvalResult seedResult() {
        return seed == null ? null : seed.result();
    }

    IterationArtifacts seedArtifacts() {
        return seed == null ? null : seed.artifacts();
    }

    long seedEvaluatedAtMillis() {
        return seed == null ? 0 : seed.evaluatedAtMillis();
    }

    /** Whether the running iteration's report names another step (or iteration) than the last one. */
    boolean movedOn(StepProgress progress) {
        return !progress.step().equals(step) || progress.iteration() != iteration;
    }

    /**
     * Whether this report comes from an iteration that has already finished: its last report can arrive after its
     * result (signals and the child's result travel apart), even in the next run after a continue-as-new.
     */
    boolean late(StepProgress progress) {
        return progress.iteration() <= finished.size();
    }

    /** A late report's metrics are still the newest of their kind; where the run is, it does not change. */
    void recordMetrics(StepProgress progress) {
        latestMetrics.putAll(progress.metrics());
    }

    void record(StepProgress progress) {
        latestMetrics.putAll(progress.metrics());
        iteration = progress.iteration();
        step = progress.step();
        shardsDone = progress.shardsDone();
        shardsTotal = progress.shardsTotal();
    }

    /** What the next run of this workflow needs to go on from the iteration boundary where this one ends. */
    RunContinuation continuation(RunInputs inputs, ArtifactRef baselineAnswers, ArtifactRef policy) {
        return new RunContinuation(
                inputs,
                baselineAnswers,
                policy,
                List.copyOf(finished),
                seed,
                tracked,
                trackingProblem,
                step,
                Map.copyOf(latestMetrics),
                paused);
    }

    /** Takes up where the previous run of this workflow ended (see {@link #continuation}). */
    void continueFrom(RunContinuation continued) {
        finished.addAll(continued.finished());
        iteration = finished.size();
        seed = continued.seed();
        tracked = continued.tracked();
        trackingProblem = continued.trackingProblem();
        step = continued.step();
        latestMetrics.putAll(continued.latestMetrics());
        paused = continued.paused();
    }

    RunProgress progress() {
        String shown = paused ? "paused" : stopRequested && status.equals("running") ? "stopping" : status;
        return new RunProgress(
                shown,
                iteration,
                spec == null ? 0 : spec.iterations(),
                step,
                shardsDone,
                shardsTotal,
                Map.copyOf(latestMetrics),
                seedResult(),
                List.copyOf(finished));
    }
}
