package dev.tpo.workflows;

import dev.tpo.api.steps.IterationSummary;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * One TPO iteration as a child of the run, so each iteration's history is its own and the run's stays small:
 * select prompts, generate (per shard), judge (per shard), pair, reference log-probs, DPO train, answer the eval
 * set, evaluate, report.
 */
@WorkflowInterface
public interface TpoIterationWorkflow {
    String TYPE = "TpoIterationWorkflow";

    @WorkflowMethod(name = TYPE)
    IterationSummary run(IterationInput input);

    @SignalMethod
    void pause();

    /** Whether the iteration holds before its next step (the run forwards pause and resume to it). */
    @QueryMethod
    boolean paused();

    @SignalMethod
    void resume();
}
