package dev.tpo.method.eval;

/** Whose answers an export writes: the policy's responses (thoughts removed) or the baseline's. */
public enum AnswerSide {
    POLICY,
    BASELINE;

    String answer(EvalItem item) {
        return this == POLICY ? item.policyResponse() : item.baselineResponse();
    }
}
