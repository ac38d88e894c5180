package dev.tpo.api.steps;

import dev.tpo.api.ArtifactRef;

public record AnswerOutput(ArtifactRef answers, int prompts, int malformed, double seconds, boolean reused) {
}
