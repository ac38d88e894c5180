package dev.tpo.api.activities;

import dev.tpo.api.steps.JudgeInput;
import dev.tpo.api.steps.JudgeOutput;
import io.temporal.activity.ActivityInterface;

/** GPU queue for model judges, control queue for verifier and endpoint judges: scores responses only. */
@ActivityInterface
public interface JudgeActivity {
    JudgeOutput judge(JudgeInput input);
}
