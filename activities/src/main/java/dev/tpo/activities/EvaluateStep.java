package dev.tpo.activities;

import dev.tpo.api.activities.EvaluateActivity;
import dev.tpo.api.steps.AnswerInput;
import dev.tpo.api.steps.AnswerOutput;
import dev.tpo.api.steps.EvalOutput;
import dev.tpo.api.steps.EvaluateInput;

/**
 * Evaluation's two activities: answering needs the policy (GPU queue); judging runs where its judge runs. The
 * same implementation is registered on both queues; the workflow's task queue decides which worker runs which.
 */
public final class EvaluateStep implements EvaluateActivity {
    private final AnswerStep answers;
    private final EvalJudging judging;

    EvaluateStep(StepServices services) {
        this.answers = new AnswerStep(services);
        this.judging = new EvalJudging(services);
    }

    @Override
    public AnswerOutput answer(AnswerInput input) {
        return StepFailures.translate(AnswerStep.STEP, () -> answers.answer(input));
    }

    @Override
    public EvalOutput evaluate(EvaluateInput input) {
        // Judging heartbeats its own progress.
        return StepFailures.translate(EvalJudging.STEP, () -> judging.evaluate(input));
    }
}
