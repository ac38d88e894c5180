package dev.tpo.method.judge;

import java.util.List;
import java.util.Objects;

/**
 * A judge's scores for one task's responses, in response order (NaN: malformed, or the judge gave no score).
 *
 * @param details the judge's raw outputs and notes, kept for audit (never parsed again)
 */
public record JudgeScores(String promptId, double[] scores, List<String> details) {
    public JudgeScores {
        Objects.requireNonNull(promptId, "promptId");
        scores = scores.clone();
        details = List.copyOf(details);
    }

    @Override
    public double[] scores() {
        return scores.clone();
    }
}
