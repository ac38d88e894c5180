package dev.tpo.workflows;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tpo.api.steps.RunProgress;
import dev.tpo.api.steps.RunResult;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * A whole TPO run: validate the spec, pin the inputs, answer the eval set with the baseline, then one child
 * {@link TpoIterationWorkflow} per iteration, each starting from the previous one's policy; the seed's own
 * evaluation runs beside them.
 *
 * <p>Workflow type {@value #TYPE}, started on the control task queue (default {@code tpo-control}) with one JSON
 * document, the run spec (see {@code RunSpec}); the workflow id is the run id. A stable contract: changes to the
 * flow go behind {@code Workflow.getVersion}.
 */
@WorkflowInterface
public interface TpoRunWorkflow {
    String TYPE = "TpoRunWorkflow";

    @WorkflowMethod(name = TYPE)
    RunResult run(JsonNode spec);

    @QueryMethod
    RunProgress progress();

    /** Hold the run before its next step (running activities finish). */
    @SignalMethod
    void pause();

    @SignalMethod
    void resume();

    /** Finish the current iteration, write the report, and end the run there. */
    @SignalMethod
    void stopAfterIteration();

    /** Sent by the running iteration so {@link #progress()} can answer without asking it. */
    @SignalMethod
    void reportStep(StepProgress step);
}
