package dev.tpo.method.judge;

import java.util.List;

/** Compares a policy's responses with a baseline's, one verdict per comparison, in input order. */
public interface PairwiseVerdicts {
    List<Outcome> compare(List<ComparisonTask> comparisons);

    /**
     * Verdicts from any judge: a pairwise judge compares in both orders itself; any other judge scores the two
     * responses and the higher score wins.
     */
    static PairwiseVerdicts of(Judge judge) {
        return judge instanceof PairwiseVerdicts pairwise ? pairwise : new ScoreVerdicts(judge);
    }
}
