package dev.tpo.api.activities;

import dev.tpo.api.steps.EvalOutput;
import dev.tpo.api.steps.EvaluateInput;
import io.temporal.activity.ActivityInterface;

/**
 * The judging half of evaluation, on the answers of {@link AnswerActivity}: it runs where its judge runs (GPU or
 * control queue), apart from answering (always a model, GPU queue). The activity type is "Evaluate" (the method's
 * name), which recorded workflow histories name: renaming the method breaks their replay.
 */
@ActivityInterface
public interface EvaluateActivity {
    /** The judge compares the policy's responses with the baseline's (or scores them alone). */
    EvalOutput evaluate(EvaluateInput input);
}
