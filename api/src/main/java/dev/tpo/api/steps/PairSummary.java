package dev.tpo.api.steps;

/**
 * What pairing did with an iteration's samples; lengths are response lengths in tokens.
 */
public record PairSummary(int prompts, int pairs, int droppedAllTied, int droppedTooFewWellFormed,
                          int malformedSamples, int samples, double meanChosenLength, double meanRejectedLength,
                          double meanScoreMargin) {
}
