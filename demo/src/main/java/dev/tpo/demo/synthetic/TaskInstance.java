package dev.tpo.demo.synthetic;

import java.util.Map;

/**
 * One generated task: the instruction, its reference answer and a seed thought of every kind. The draft of
 * each thought is the answer that thought arrives at; {@link #answer} gives what the response after it says.
 */
public record TaskInstance(
        Category category,
        String instruction,
        String reference,
        Map<ThoughtKind, String> thoughts,
        Map<ThoughtKind, String> drafts) {
    public TaskInstance {
        thoughts = Map.copyOf(thoughts);
        drafts = Map.copyOf(drafts);
    }

    public String thought(ThoughtKind kind) {
        return thoughts.get(kind);
    }

    /** The response a seed output with a thought of {@code kind} gives: the thought's own draft. */
    public String answer(ThoughtKind kind) {
        return drafts.get(kind);
    }
}
