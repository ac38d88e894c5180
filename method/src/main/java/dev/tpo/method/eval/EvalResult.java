package dev.tpo.method.eval;

import java.util.List;

/** An evaluation's per-prompt judgements (in item order) and their summary. */
public record EvalResult(List<EvalJudgement> judgements, EvalSummary summary) {
    public EvalResult {
        judgements = List.copyOf(judgements);
    }
}
