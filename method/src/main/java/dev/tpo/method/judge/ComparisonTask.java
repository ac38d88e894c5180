package dev.tpo.method.judge;

import java.util.Objects;

/**
 * One evaluation comparison: the policy's response (A) against the baseline's (B) for one prompt, thoughts removed.
 *
 * @param reference the expected answer, or null
 */
public record ComparisonTask(String promptId, String prompt, String reference, String responseA, String responseB) {
    public ComparisonTask {
        Objects.requireNonNull(promptId, "promptId");
        Objects.requireNonNull(prompt, "prompt of comparison '" + promptId + "'");
        Objects.requireNonNull(responseA, "response A of comparison '" + promptId + "'");
        Objects.requireNonNull(responseB, "response B of comparison '" + promptId + "'");
    }
}
