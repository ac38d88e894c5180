package dev.tpo.method.pairs;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * A preference pair of one prompt, by sample index; both sides are trained on as full outputs (thought included).
 *
 * @param chosenScore         the judge's raw score of the chosen response
 * @param rejectedScore       the judge's raw score of the rejected response; null when the rejected output is
 *                            malformed (it was never judged)
 * @param chosenAdjusted      the length-controlled score {@code s} that selected the chosen sample
 * @param rejectedAdjusted    the same for the rejected sample; null when malformed
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record SelectedPair(
        String promptId,
        int chosenIndex,
        int rejectedIndex,
        double chosenScore,
        Double rejectedScore,
        double chosenAdjusted,
        Double rejectedAdjusted,
        int chosenLength,
        int rejectedLength,
        boolean rejectedMalformed) {}
