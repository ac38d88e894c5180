package dev.tpo.method.eval;

import java.util.Objects;

/**
 * One evaluation prompt with the policy's output (already split) and the baseline's response.
 *
 * @param category        the breakdown key, or null ({@value Evaluation#NO_CATEGORY} in the summary)
 * @param reference       the expected answer, or null
 * @param policyMalformed the policy's output had no response: it loses without being judged
 * @param policyResponse  the part after the marker ("" when malformed)
 * @param baselineResponse the baseline's answer to the plain instruction; blank counts as malformed
 */
public record EvalItem(
        String promptId,
        String category,
        String prompt,
        String reference,
        String policyThought,
        String policyResponse,
        boolean policyMalformed,
        String baselineResponse) {
    public EvalItem {
        Objects.requireNonNull(promptId, "promptId");
        Objects.requireNonNull(prompt, "prompt of eval item '" + promptId + "'");
        Objects.requireNonNull(policyThought, "policy thought of eval item '" + promptId + "' (use \"\")");
        Objects.requireNonNull(policyResponse, "policy response of eval item '" + promptId + "' (use \"\")");
        Objects.requireNonNull(baselineResponse, "baseline response of eval item '" + promptId + "' (use \"\")");
    }

    /** Whether the policy's response is judged at all. */
    public boolean policyJudged() {
        return !policyMalformed && !policyResponse.isBlank();
    }

    public boolean baselineJudged() {
        return !baselineResponse.isBlank();
    }
}
