package dev.tpo.method.eval;

import java.util.List;

/**
 * What {@link Evaluation#judge} returns: the per-prompt judgements (in item order) and their summary. The summary's
 * numbers, as the workflow carries them, are {@code dev.tpo.api.steps.EvalResult}.
 */
public record JudgedEvaluation(List<EvalJudgement> judgements, EvalSummary summary) {
    public JudgedEvaluation {
        judgements = List.copyOf(judgements);
    }
}
