package dev.tpo.api.activities;

import dev.tpo.api.steps.PrepareRunInput;
import dev.tpo.api.steps.RunInputs;
import io.temporal.activity.ActivityInterface;

/** Control queue: resolve and check every input of a run before any GPU work, and pin it by digest. */
@ActivityInterface
public interface PrepareRunActivity {
    RunInputs prepareRun(PrepareRunInput input);
}
