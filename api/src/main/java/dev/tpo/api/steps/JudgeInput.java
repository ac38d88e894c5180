package dev.tpo.api.steps;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.tpo.api.ArtifactRef;
import dev.tpo.api.spec.ComputeSettings;
import dev.tpo.api.spec.JudgeSettings;
import java.util.List;

/**
 * Score the responses (never the thoughts) of some generation shards.
 *
 * @param judgeModel null unless the judge runs a local model
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record JudgeInput(
        RunContext run,
        int iteration,
        int shard,
        List<ArtifactRef> generations,
        JudgeSettings judge,
        ArtifactRef judgeModel,
        ComputeSettings compute) {}
