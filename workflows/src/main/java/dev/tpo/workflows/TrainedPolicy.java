package dev.tpo.workflows;

import dev.tpo.api.ArtifactRef;
import dev.tpo.api.steps.TrainOutput;
import java.util.Map;

/**
 * The policy an iteration ends with and how training made it; an iteration without pairs keeps its starting policy.
 *
 * @param metricsLog      DPO's metrics.jsonl; null when the iteration did not train
 * @param resumedFromStep 0 for a fresh start, else the checkpoint step a retried attempt resumed from
 */
record TrainedPolicy(ArtifactRef policy, ArtifactRef metricsLog, Map<String, Double> metrics, int resumedFromStep) {
    static TrainedPolicy untrained(ArtifactRef startingPolicy) {
        return new TrainedPolicy(startingPolicy, null, Map.of(), 0);
    }

    static TrainedPolicy of(TrainOutput trained) {
        return new TrainedPolicy(trained.model(), trained.metricsLog(), trained.metrics(), trained.resumedFromStep());
    }
}
