package dev.tpo.method.judge;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * The responses of one prompt, to be scored against each other.
 *
 * @param prompt    the user's instruction as written (not wrapped in a thought prompt): the judge rates the
 *                  answer to what the user asked
 * @param reference the expected answer, or null (required by the verifier judge)
 * @param responses responses only, thoughts removed; null marks a malformed output, which is never judged
 */
public record JudgeTask(String promptId, String prompt, String reference, List<String> responses) {
    public JudgeTask {
        Objects.requireNonNull(promptId, "promptId");
        Objects.requireNonNull(prompt, "prompt of task '" + promptId + "'");
        Objects.requireNonNull(responses, "responses of task '" + promptId + "'");
        // List.copyOf refuses nulls, and null is how a malformed sample keeps its index.
        responses = Collections.unmodifiableList(new ArrayList<>(responses));
    }

    /** Indices of the responses a judge may see. */
    public List<Integer> judgedIndices() {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < responses.size(); i++) {
            if (responses.get(i) != null) {
                out.add(i);
            }
        }
        return out;
    }
}
