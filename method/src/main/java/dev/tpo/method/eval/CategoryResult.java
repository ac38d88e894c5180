package dev.tpo.method.eval;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** Win rate of one category, in percent (a tie counts half). */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record CategoryResult(int n, int wins, int ties, int losses, double winRate) {
}
