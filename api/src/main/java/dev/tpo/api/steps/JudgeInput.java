package dev.tpo.api.steps;

import dev.tpo.api.ArtifactRef;
import dev.tpo.api.spec.ComputeSettings;
import dev.tpo.api.spec.JudgeSettings;
import java.util.List;

/**
 * Score the responses (never the thoughts) of some generation shards.
 *
 * @param judgeModel null unless the judge runs a local model
 */
public record JudgeInput(RunContext run, int iteration, int shard, List<ArtifactRef> generations,
                         JudgeSettings judge, ArtifactRef judgeModel, ComputeSettings compute) {
}
