package dev.tpo.api.steps;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.tpo.api.ArtifactRef;

/** Pick an iteration's fresh prompts (a seeded permutation, consumed in order) and split them into shards. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record SelectPromptsInput(
        RunContext run, int iteration, ArtifactRef trainPrompts, int promptsPerIteration, long seed, int shardCount) {}
