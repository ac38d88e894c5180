package dev.tpo.api.activities;

import dev.tpo.api.steps.AnswerInput;
import dev.tpo.api.steps.AnswerOutput;
import io.temporal.activity.ActivityInterface;

/**
 * The answer half of evaluation: a model answers the eval prompts. Always a model, so it runs on the GPU queue;
 * the judging half is {@link EvaluateActivity}, which runs where its judge runs. The activity type is "Answer" (the
 * method's name), which recorded workflow histories name: renaming the method breaks their replay.
 */
@ActivityInterface
public interface AnswerActivity {
    /** A model answers the eval prompts; thoughts are split off and kept apart. */
    AnswerOutput answer(AnswerInput input);
}
