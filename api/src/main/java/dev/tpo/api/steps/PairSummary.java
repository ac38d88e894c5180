package dev.tpo.api.steps;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * What pairing did with an iteration's samples; lengths are response lengths in tokens.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record PairSummary(
        int prompts,
        int pairs,
        int droppedAllTied,
        int droppedTooFewWellFormed,
        int malformedSamples,
        int samples,
        double meanChosenLength,
        double meanRejectedLength,
        double meanScoreMargin) {}
