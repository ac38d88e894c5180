package dev.tpo.api.steps;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.tpo.api.ArtifactRef;
import java.util.List;

/**
 * @param prompts     all of the iteration's prompts
 * @param shards      the same prompts split for generation, in order
 * @param wrapped     true when the train set ran out and selection started again from the beginning
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record PromptSelection(ArtifactRef prompts, List<ArtifactRef> shards, int promptCount, boolean wrapped) {
    /** Where shard {@code s} of {@code shardCount} starts in a selection of {@code count} prompts (contiguous). */
    public static int shardStart(int count, int shardCount, int s) {
        return (int) ((long) count * s / shardCount);
    }

    /** How many prompts shard {@code s} holds. */
    public int shardPromptCount(int s) {
        return shardStart(promptCount, shards.size(), s + 1) - shardStart(promptCount, shards.size(), s);
    }
}
