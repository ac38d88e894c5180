package dev.tpo.method.eval;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * One category's results, in percent: the win rate against the baseline (a tie counts half) and, when the
 * prompts carry references, the policy's accuracy.
 *
 * @param accuracy null unless every judgement of the category was checked against a reference
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record CategoryResult(int n, int wins, int ties, int losses, double winRate, Double accuracy) {}
