package dev.tpo.api.steps;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.tpo.api.ArtifactRef;

@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record JudgeOutput(ArtifactRef judgements, int scored, int malformedSkipped, double seconds, boolean reused) {}
