package dev.tpo.api.activities;

import dev.tpo.api.steps.PairInput;
import dev.tpo.api.steps.PairOutput;
import io.temporal.activity.ActivityInterface;

/** Control queue: length-controlled best and worst sample per prompt. */
@ActivityInterface
public interface PairActivity {
    PairOutput pair(PairInput input);
}
