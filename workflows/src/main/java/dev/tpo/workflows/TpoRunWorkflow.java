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
 * document, the run spec (see {@code RunSpec}); the workflow id is the run id. A long run continues as new at an
 * iteration boundary once its history is long (see {@link TpoRunWorkflowImpl}): the workflow id stays, Temporal's
 * run id changes, and queries, signals and the result follow the newest run. A stable contract: changes to the flow
 * go behind {@code Workflow.getVersion}.
 */
@WorkflowInterface
public interface TpoRunWorkflow {
    String TYPE = "TpoRunWorkflow";

    /**
     * @param spec      the run spec, the document the user started the run with (in every run of the workflow)
     * @param continued null when a user starts the run (the Web UI's form and {@code temporal workflow start} send
     *                  the spec alone); set by the run itself when it continues as new, to go on where it was
     */
    @WorkflowMethod(name = TYPE)
    RunResult run(JsonNode spec, RunContinuation continued);

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
