package dev.tpo.api.steps;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.tpo.api.ArtifactRef;

/** @param pairs chosen and rejected full outputs (thought included) with their token ids */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record PairOutput(ArtifactRef pairs, PairSummary summary) {}
