package dev.tpo.api.steps;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.tpo.api.ArtifactRef;

@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record AnswerOutput(ArtifactRef answers, int prompts, int malformed, double seconds, boolean reused) {}
