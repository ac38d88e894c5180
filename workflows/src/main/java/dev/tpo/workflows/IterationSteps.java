package dev.tpo.workflows;

import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Runs an iteration's steps so people can follow them: a step waits out a pause, then shows in the TpoStep search
 * attribute, as a row of the details table and in the run's progress; its wall time goes into the iteration's
 * summary. Workflow state only: deterministic, no I/O beyond workflow commands.
 */
final class IterationSteps {
    /**
     * A fan-out tells the run at most this many times (plus its start) how many of its shards are done: each signal
     * costs the run's history, which lives as long as the run, two to four events, so at 1024 shards per-shard reports
     * were most of it. Fan-outs of up to this many shards still report every one.
     */
    static final int SHARD_REPORTS_PER_STEP = 16;

    /** Where a change of flow is recorded, so histories from before the coalescing replay unchanged. */
    private static final String COALESCED_SHARD_REPORTS_CHANGE = "coalesced-shard-reports";

    private final Map<String, Double> stepSeconds = new LinkedHashMap<>();
    private final Map<String, Double> computeSeconds = new LinkedHashMap<>();
    private final ProgressTable table = new ProgressTable();
    private final int iteration;
    private final String heading;
    private final BooleanSupplier paused;
    /** The run this iteration is a child of; null when started on its own. */
    private final TpoRunWorkflow parent;

    private String step;
    private long stepStartedMillis;

    /** @param paused whether the iteration holds before its next step */
    IterationSteps(int iteration, String heading, BooleanSupplier paused) {
        this.iteration = iteration;
        this.heading = heading;
        this.paused = paused;
        parent = Workflow.getInfo()
                .getParentWorkflowId()
                .map(id -> Workflow.newExternalWorkflowStub(TpoRunWorkflow.class, id))
                .orElse(null);
    }

    /** One step of a single activity call (or two, for evaluation); {@code note} says what it does. */
    <T> T run(String name, String note, Supplier<T> work) {
        begin(name, 0, note);
        T result = work.get();
        end();
        return result;
    }

    /** A step of one activity per shard: starts them all and waits for all, telling the run as shards finish. */
    <O> List<O> fanOut(String name, List<Supplier<O>> shards) {
        begin(name, shards.size(), shards.size() + (shards.size() == 1 ? " shard" : " shards"));
        List<Promise<O>> running = new ArrayList<>();
        for (Supplier<O> shard : shards) {
            running.add(Async.function(shard::get));
        }
        // Asked only where coalescing changes anything, so narrow fan-outs record no marker.
        boolean coalesced = shards.size() > SHARD_REPORTS_PER_STEP
                && Workflow.getVersion(COALESCED_SHARD_REPORTS_CHANGE, Workflow.DEFAULT_VERSION, 1) >= 1;
        int shown = 0;
        int told = 0;
        while (true) {
            List<Promise<O>> pending =
                    running.stream().filter(p -> !p.isCompleted()).toList();
            int done = running.size() - pending.size();
            if (done > shown) {
                shown = done;
                table.shards(done, shards.size());
                Workflow.setCurrentDetails(table.markdown(heading));
                if (!coalesced || reportBucket(done, shards.size()) > reportBucket(told, shards.size())) {
                    told = done;
                    tellParent(done, shards.size(), Map.of());
                }
            }
            if (pending.isEmpty()) {
                break;
            }
            Promise.anyOf(pending).get();
        }
        end();
        return running.stream().map(Promise::get).toList();
    }

    /** Which of the {@link #SHARD_REPORTS_PER_STEP} equal parts of a fan-out {@code done} shards complete; all: the last. */
    private static long reportBucket(int done, int total) {
        return (long) done * SHARD_REPORTS_PER_STEP / total;
    }

    /** Time a step's activities spent working (summed over shards), as they report it. */
    void computed(String name, double seconds) {
        computeSeconds.put(name, seconds);
    }

    /** Metrics of the step that just ended, for the run's progress. */
    void report(Map<String, Double> metrics) {
        tellParent(0, 0, metrics);
    }

    /** The running step's row shows it failed. */
    void fail() {
        table.fail();
        Workflow.setCurrentDetails(table.markdown(heading));
    }

    /** Wall time per step so far, from workflow time (queueing and retries included). */
    Map<String, Double> stepSeconds() {
        return Map.copyOf(stepSeconds);
    }

    Map<String, Double> computeSeconds() {
        return Map.copyOf(computeSeconds);
    }

    private void begin(String name, int shards, String note) {
        Workflow.await(() -> !paused.getAsBoolean());
        step = name;
        stepStartedMillis = Workflow.currentTimeMillis();
        Workflow.upsertTypedSearchAttributes(TpoSearchAttributes.STEP.valueSet(name));
        table.begin(name, shards, note);
        Workflow.setCurrentDetails(table.markdown(heading));
        tellParent(0, shards, Map.of());
    }

    private void end() {
        double seconds = (Workflow.currentTimeMillis() - stepStartedMillis) / 1000.0;
        stepSeconds.merge(step, seconds, Double::sum);
        table.end(seconds);
        Workflow.setCurrentDetails(table.markdown(heading));
    }

    /**
     * Progress is for display, so the iteration does not wait for the run to receive it: a blocking signal costs a
     * workflow task round trip before every step, and the signal goes out with the step's own commands instead.
     */
    private void tellParent(int shardsDone, int shardsTotal, Map<String, Double> metrics) {
        if (parent != null) {
            Async.procedure(parent::reportStep, new StepProgress(iteration, step, shardsDone, shardsTotal, metrics));
        }
    }
}
