package dev.tpo.workflows;

import static dev.tpo.workflows.StepOptions.summarised;

import dev.tpo.api.activities.AnswerActivity;
import dev.tpo.api.activities.EvaluateActivity;
import dev.tpo.api.activities.GenerateActivity;
import dev.tpo.api.activities.JudgeActivity;
import dev.tpo.api.activities.PairActivity;
import dev.tpo.api.activities.ReferenceLogProbsActivity;
import dev.tpo.api.activities.ReportActivity;
import dev.tpo.api.activities.SelectPromptsActivity;
import dev.tpo.api.activities.TrainActivity;
import dev.tpo.api.spec.JudgeSettings;
import dev.tpo.api.spec.RunSpec;
import java.time.Duration;

/**
 * The activities of one iteration, each with the options of its kind of step (queue, timeouts, retries) and the
 * summary the Web UI shows beside the call. The summary differs per call (shard and pair counts), so each call site
 * asks for its own stub.
 */
final class IterationActivities {
    private final StepOptions options;
    private final JudgeSettings judge;

    IterationActivities(RunSpec spec) {
        options = new StepOptions(spec.taskQueues(), Duration.ofSeconds(spec.heartbeatTimeoutSeconds()));
        judge = spec.judge();
    }

    SelectPromptsActivity select(String summary) {
        return summarised(SelectPromptsActivity.class, options.control(), summary);
    }

    GenerateActivity generate(String summary) {
        return summarised(GenerateActivity.class, options.gpu(Duration.ofHours(12)), summary);
    }

    JudgeActivity judge(String summary) {
        return summarised(JudgeActivity.class, options.judge(judge), summary);
    }

    PairActivity pair(String summary) {
        return summarised(PairActivity.class, options.control(), summary);
    }

    ReferenceLogProbsActivity reference(String summary) {
        return summarised(ReferenceLogProbsActivity.class, options.gpu(Duration.ofHours(6)), summary);
    }

    TrainActivity train(String summary) {
        return summarised(TrainActivity.class, options.gpu(Duration.ofHours(48)), summary);
    }

    /** The policy answers the eval set: generation, so on the GPU queue. */
    AnswerActivity answer(String summary) {
        return summarised(AnswerActivity.class, options.gpu(Duration.ofHours(12)), summary);
    }

    /** The judge scores the answers: where the judge runs. */
    EvaluateActivity evaluate(String summary) {
        return summarised(EvaluateActivity.class, options.judge(judge), summary);
    }

    ReportActivity report(String summary) {
        return summarised(ReportActivity.class, options.control(), summary);
    }
}
