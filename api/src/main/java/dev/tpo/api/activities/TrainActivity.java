package dev.tpo.api.activities;

import dev.tpo.api.steps.TrainInput;
import dev.tpo.api.steps.TrainOutput;
import io.temporal.activity.ActivityInterface;

/** GPU queue: DPO; checkpoints into the artifact store, heartbeats step and checkpoint, resumes from it. */
@ActivityInterface
public interface TrainActivity {
    TrainOutput train(TrainInput input);
}
