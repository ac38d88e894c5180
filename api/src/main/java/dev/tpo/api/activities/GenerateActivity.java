package dev.tpo.api.activities;

import dev.tpo.api.steps.GenerateInput;
import dev.tpo.api.steps.GenerateOutput;
import io.temporal.activity.ActivityInterface;

/** GPU queue: K samples per prompt of one shard; heartbeats its position and resumes from it. */
@ActivityInterface
public interface GenerateActivity {
    GenerateOutput generate(GenerateInput input);
}
