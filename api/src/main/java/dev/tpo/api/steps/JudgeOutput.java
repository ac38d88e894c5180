package dev.tpo.api.steps;

import dev.tpo.api.ArtifactRef;

public record JudgeOutput(ArtifactRef judgements, int scored, int malformedSkipped, double seconds, boolean reused) {
}
