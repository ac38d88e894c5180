package dev.tpo.api.steps;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.Map;

/**
 * One evaluation, small enough for history and the progress query.
 *
 * @param scoreKind   "accuracy" (verifier judge) or "win_rate" (against the baseline)
 * @param score       percent
 * @param winRate     percent against the baseline, ties counted half; null without a baseline
 * @param lcWinRate   length-controlled win rate, percent; null without a baseline, and null when it is undefined
 *                    because no policy response was judged (every output malformed)
 * @param accuracy    percent of responses the verifier accepts; null for other judges
 * @param perCategory score per prompt category, percent
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record EvalResult(
        int prompts,
        String scoreKind,
        double score,
        Double winRate,
        Double lcWinRate,
        Double accuracy,
        double malformedRate,
        double meanThoughtChars,
        double meanResponseChars,
        Map<String, Double> perCategory) {}
