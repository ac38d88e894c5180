package dev.tpo.method.pairs;

import java.util.Objects;

/**
 * One sampled output of a prompt after judging.
 *
 * @param malformed      no response was found in the output (never chosen; rejected only when the option is on)
 * @param score          the judge's score of the response; NaN when the judge gave none (unparseable pointwise
 *                       verdict) or the sample is malformed
 * @param responseLength length of the response part (the unit is the caller's: characters or tokens, the same for
 *                       every sample of a run)
 */
public record ScoredSample(String promptId, int sampleIndex, boolean malformed, double score, int responseLength) {
    public ScoredSample {
        Objects.requireNonNull(promptId, "promptId");
        if (sampleIndex < 0) {
            throw new IllegalArgumentException("sample index of prompt '" + promptId + "' is negative: " + sampleIndex);
        }
        if (responseLength < 0) {
            throw new IllegalArgumentException("response length of prompt '" + promptId + "' sample " + sampleIndex
                    + " is negative: " + responseLength);
        }
    }

    /** Well-formed and scored: eligible for chosen, and for rejected without the malformed option. */
    public boolean scored() {
        return !malformed && Double.isFinite(score);
    }
}
