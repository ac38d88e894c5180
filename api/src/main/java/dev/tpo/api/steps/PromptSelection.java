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
}
