package dev.tpo.api.activities;

import dev.tpo.api.ArtifactRef;
import dev.tpo.api.steps.ReferenceLogProbsInput;
import io.temporal.activity.ActivityInterface;

/** GPU queue: reference log-probs of every pair under the frozen iteration-start policy. */
@ActivityInterface
public interface ReferenceLogProbsActivity {
    /** The pairs with {@code ref_chosen_logp} and {@code ref_rejected_logp}, ready for training. */
    ArtifactRef referenceLogProbs(ReferenceLogProbsInput input);
}
