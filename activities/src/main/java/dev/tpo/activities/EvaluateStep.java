package dev.tpo.activities;

import dev.tpo.activities.judging.EvalJudging;
import dev.tpo.api.activities.EvaluateActivity;
import dev.tpo.api.steps.EvalOutput;
import dev.tpo.api.steps.EvaluateInput;
import io.temporal.activity.Activity;

/**
 * The judging half of evaluation: the judge scores the answers of {@link AnswerStep}, against the baseline's or
 * alone ({@link EvalJudging} does the work). It runs where its judge runs: registered on both queues, the
 * workflow's task queue decides which worker runs it.
 */
public final class EvaluateStep implements EvaluateActivity {
    private final EvalJudging judging;

    EvaluateStep(StepServices services) {
        this.judging = new EvalJudging(services);
    }

    @Override
    public EvalOutput evaluate(EvaluateInput input) {
        // Judging heartbeats its own progress.
        return StepFailures.translateJudging(
                EvalJudging.STEP,
                input.judge(),
                Activity.getExecutionContext().getInfo().getAttempt(),
                () -> judging.evaluate(input));
    }
}
