package dev.tpo.model.score;

/**
 * Log-probabilities of one sequence: {@code tokenLogProbs[i]} is log p(token i+1 | tokens 0..i); {@code sum} and
 * {@code mean} cover the completion tokens only (those at index completionStart and after).
 */
public record ScoredSequence(float[] tokenLogProbs, double sum, double mean, int completionTokens) {}
