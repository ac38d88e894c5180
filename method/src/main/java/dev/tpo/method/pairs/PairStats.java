package dev.tpo.method.pairs;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * What pair building did with one iteration's samples.
 *
 * @param droppedAllTied             prompts whose judge scores (or length-controlled scores) were all equal
 * @param droppedTooFewWellFormed    prompts with fewer than two scored well-formed samples (and, with the
 *                                   malformed option, no malformed sample to reject)
 * @param malformedSamples           samples whose response could not be found
 * @param unscoredSamples            well-formed samples the judge gave no score (NaN)
 * @param pairsWithMalformedRejected pairs whose rejected side is a malformed output
 * @param meanChosenLength           mean response length of chosen samples over pairs with a well-formed
 *                                   rejected sample (those length control acts on); 0 when there are none
 * @param meanRejectedLength         the same for the rejected samples
 * @param meanScoreMargin            mean raw judge score of chosen minus rejected over the same pairs
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record PairStats(
        int promptsSeen,
        int pairsMade,
        int droppedAllTied,
        int droppedTooFewWellFormed,
        int malformedSamples,
        int unscoredSamples,
        int pairsWithMalformedRejected,
        double meanChosenLength,
        double meanRejectedLength,
        double meanScoreMargin) {}
