package dev.tpo.method.judge;

import java.util.List;
import java.util.Objects;

/**
 * The verdict of one comparison, from A's side.
 *
 * @param details the judge's raw outputs (both orders for a pairwise judge; the two scores for a scoring judge)
 */
public record Outcome(String promptId, Verdict verdict, List<String> details) {
    public Outcome {
        Objects.requireNonNull(promptId, "promptId");
        Objects.requireNonNull(verdict, "verdict");
        details = List.copyOf(details);
    }
}
