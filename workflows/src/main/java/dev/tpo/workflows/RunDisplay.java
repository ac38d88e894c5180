package dev.tpo.workflows;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tpo.api.spec.RunSpec;
import io.temporal.common.SearchAttributes;
import io.temporal.workflow.Workflow;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a run shows itself without a query: its memo and search attributes (the run list, visibility queries) and
 * its current details (the run's page), each kept up to date from {@link RunState} as the run moves on.
 */
final class RunDisplay {
    /** {@link TpoSearchAttributes#STATUS} of a part of a run that continued as new. */
    static final String CONTINUED = "continued";

    private final RunState state;

    RunDisplay(RunState state) {
        this.state = state;
    }

    /** The spec is valid: the run is found by its name, seed and thought mode from now on. */
    void validated() {
        RunSpec spec = state.spec;
        memo();
        Workflow.upsertTypedSearchAttributes(
                TpoSearchAttributes.RUN_NAME.valueSet(spec.name()),
                TpoSearchAttributes.THOUGHT_MODE.valueSet(spec.thought().mode().wireName()),
                TpoSearchAttributes.SEED_POLICY.valueSet(spec.seedPolicy()),
                TpoSearchAttributes.STATUS.valueSet(state.status),
                TpoSearchAttributes.ITERATION.valueSet(0L),
                TpoSearchAttributes.STEP.valueSet("prepare"));
    }

    /**
     * This part of the run ends in a continue-as-new: it stays in the run list as "continued", so a query for running
     * runs finds only the part that runs. Returns the attributes the next part starts with, as they stand.
     */
    SearchAttributes continuingAsNew() {
        RunSpec spec = state.spec;
        Workflow.upsertTypedSearchAttributes(TpoSearchAttributes.STATUS.valueSet(CONTINUED));
        return SearchAttributes.newBuilder()
                .set(TpoSearchAttributes.RUN_NAME, spec.name())
                .set(TpoSearchAttributes.THOUGHT_MODE, spec.thought().mode().wireName())
                .set(TpoSearchAttributes.SEED_POLICY, spec.seedPolicy())
                .set(TpoSearchAttributes.STATUS, state.paused ? "paused" : state.status)
                .set(TpoSearchAttributes.ITERATION, (long) state.iteration)
                .set(TpoSearchAttributes.STEP, state.step)
                .build();
    }

    /** The next part of the run has started with the attributes and memo it was handed; its details show it. */
    void continued() {
        details();
    }

    /** A run-level step begins. */
    void step(String step) {
        state.step = step;
        Workflow.upsertTypedSearchAttributes(TpoSearchAttributes.STEP.valueSet(step));
        details();
    }

    /** An iteration begins with its first step; it reports each later one (see {@link #iterationStep}). */
    void iterationStarted(int iteration) {
        state.iteration = iteration;
        state.step = "select";
        memo();
        iterationStep(iteration, state.step);
    }

    void iterationStep(int iteration, String step) {
        Workflow.upsertTypedSearchAttributes(
                TpoSearchAttributes.ITERATION.valueSet((long) iteration), TpoSearchAttributes.STEP.valueSet(step));
    }

    /** The run has ended as {@link RunState#status} says. */
    void ended() {
        memo();
        Workflow.upsertTypedSearchAttributes(
                TpoSearchAttributes.STATUS.valueSet(state.status), TpoSearchAttributes.STEP.valueSet(state.step));
        details();
    }

    void failed(JsonNode specJson) {
        if (state.spec == null && specJson.path("name").isTextual()) {
            // An invalid spec still names its run, so the failed run is found by name.
            Workflow.upsertTypedSearchAttributes(
                    TpoSearchAttributes.RUN_NAME.valueSet(specJson.path("name").asText()));
        }
        Workflow.upsertTypedSearchAttributes(TpoSearchAttributes.STATUS.valueSet(state.status));
        details();
    }

    /** A pause shows in the run list too; only a running run changes between running and paused. */
    void pausedOrResumed() {
        if (state.spec != null && state.status.equals("running")) {
            Workflow.upsertTypedSearchAttributes(
                    TpoSearchAttributes.STATUS.valueSet(state.paused ? "paused" : state.status));
        }
    }

    void details() {
        Workflow.setCurrentDetails(RunDetails.markdown(state));
    }

    /** The run's identity and status in the run list; the MLflow link once tracking has started. */
    void memo() {
        Workflow.upsertMemo(memoFields());
    }

    /** The memo as it stands, which a continue-as-new hands to the next run. */
    Map<String, Object> memoFields() {
        RunSpec spec = state.spec;
        Map<String, Object> memo = new LinkedHashMap<>();
        memo.put("run_name", spec.name());
        memo.put("seed_policy", spec.seedPolicy());
        memo.put("thought_mode", spec.thought().mode().wireName());
        memo.put("iteration", state.iteration);
        memo.put("iterations", spec.iterations());
        memo.put("status", state.status);
        memo.put("spec_sha256", state.specSha256);
        memo.put("manifest_uri", state.manifestUri);
        if (state.tracked != null) {
            memo.put("mlflow_run_url", state.tracked.runUrl());
        }
        return memo;
    }
}
