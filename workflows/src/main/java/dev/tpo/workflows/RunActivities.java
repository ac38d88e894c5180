package dev.tpo.workflows;

import static dev.tpo.workflows.StepOptions.summarised;

import dev.tpo.api.activities.AnswerActivity;
import dev.tpo.api.activities.EvaluateActivity;
import dev.tpo.api.activities.PrepareRunActivity;
import dev.tpo.api.activities.ReportActivity;
import dev.tpo.api.activities.TrackingActivity;
import dev.tpo.api.spec.RunSpec;
import java.time.Duration;

/**
 * The run's own activities (the iterations' are in {@link IterationActivities}), each with the options of its kind
 * of step and the summary the Web UI shows beside the call.
 */
final class RunActivities {
    private final RunSpec spec;
    private final StepOptions options;
    private final StepSummaries summaries;

    RunActivities(RunSpec spec) {
        this.spec = spec;
        options = new StepOptions(spec.taskQueues(), Duration.ofSeconds(spec.heartbeatTimeoutSeconds()));
        summaries = new StepSummaries(spec);
    }

    PrepareRunActivity prepare() {
        return summarised(PrepareRunActivity.class, options.control(), summaries.prepare());
    }

    /** The baseline answers with no thought. */
    AnswerActivity baselineAnswers() {
        return summarised(AnswerActivity.class, options.gpu(Duration.ofHours(6)), summaries.answer("baseline", false));
    }

    AnswerActivity seedAnswers() {
        return summarised(
                AnswerActivity.class,
                options.gpu(Duration.ofHours(6)),
                summaries.answer("seed", spec.thought().thinks()));
    }

    EvaluateActivity seedEvaluation() {
        return summarised(
                EvaluateActivity.class,
                options.judge(spec.judge()),
                summaries.evaluate(0, spec.evaluation().hasBaseline()));
    }

    ReportActivity report() {
        return summarised(ReportActivity.class, options.control(), summaries.runReport());
    }

    TrackingActivity trackingStart() {
        return summarised(TrackingActivity.class, options.control(), summaries.trackingStart());
    }

    /** @param iterations how many iterations have finished */
    TrackingActivity trackingUpdate(int iterations) {
        return summarised(TrackingActivity.class, options.control(), summaries.trackingUpdate(iterations));
    }

    TrackingActivity trackingFinish(String status) {
        return summarised(TrackingActivity.class, options.control(), summaries.trackingFinish(status));
    }
}
