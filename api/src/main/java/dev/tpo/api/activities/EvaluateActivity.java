package dev.tpo.api.activities;

import dev.tpo.api.steps.AnswerInput;
import dev.tpo.api.steps.AnswerOutput;
import dev.tpo.api.steps.EvalOutput;
import dev.tpo.api.steps.EvaluateInput;
import io.temporal.activity.ActivityInterface;

/**
 * Evaluation in two parts, so answering (always a model, GPU queue) and judging (GPU or control, by judge) can
 * run on the right workers.
 */
@ActivityInterface
public interface EvaluateActivity {
    /** A model answers the eval prompts; thoughts are split off and kept apart. */
    AnswerOutput answer(AnswerInput input);

    /** The judge compares the policy's responses with the baseline's (or scores them alone). */
    EvalOutput evaluate(EvaluateInput input);
}
