package dev.tpo.api.steps;

import dev.tpo.api.ArtifactRef;

/** @param pairs chosen and rejected full outputs (thought included) with their token ids */
public record PairOutput(ArtifactRef pairs, PairSummary summary) {
}
