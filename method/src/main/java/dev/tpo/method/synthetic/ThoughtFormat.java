package dev.tpo.method.synthetic;

/**
 * The three output formats of the demo: the paper's two thought prompts and direct responses (the DRB).
 *
 * <p>{@link #wrap} with {@code paperText} writes the paper's prompt word for word; without it, a shortened
 * instruction that keeps the same markers ({@code <R>}; {@code Here is my thought process:} / {@code Here is my
 * response:}), because on a character-level model every prompt character costs a position in every forward pass.
 */
public enum ThoughtFormat {
    SPECIFIC("<R>"),
    GENERIC("Here is my response:"),
    NONE(null);

    static final String THOUGHTS_MARKER = "Here is my thought process:";
    private static final String SPECIFIC_PAPER = "Respond to the following user query in a comprehensive and"
            + " detailed way. But first write down your internal thoughts. This must include your draft response"
            + " and its evaluation. After this, write your final response after \"<R>\".\n\nUser query: ";
    private static final String SPECIFIC_SHORT = "Think, draft, check, then respond after \"<R>\".\n\nUser query: ";
    private static final String GENERIC_PAPER = "Respond to the following user query in a comprehensive and"
            + " detailed way. You can write down your thought process before responding. Write your thoughts after"
            + " \"Here is my thought process:\" and write your response after \"Here is my response:\".\n\n"
            + "User query: ";
    private static final String GENERIC_SHORT = "Thoughts after \"Here is my thought process:\", response after"
            + " \"Here is my response:\".\n\nUser query: ";

    private final String marker;

    ThoughtFormat(String marker) {
        this.marker = marker;
    }

    /** The string that separates thought from response; null for direct responses. */
    public String marker() {
        return marker;
    }

    /** The user message for {@code instruction}. */
    public String wrap(String instruction, boolean paperText) {
        return switch (this) {
            case SPECIFIC -> (paperText ? SPECIFIC_PAPER : SPECIFIC_SHORT) + instruction;
            case GENERIC -> (paperText ? GENERIC_PAPER : GENERIC_SHORT) + instruction;
            case NONE -> instruction;
        };
    }

    /** The assistant output: the thought and the response in this format (the thought is dropped for NONE). */
    public String output(String thought, String response) {
        return switch (this) {
            case SPECIFIC -> thought + "\n<R>" + response;
            case GENERIC -> THOUGHTS_MARKER + " " + thought + "\n" + marker + " " + response;
            case NONE -> response;
        };
    }

    /** The response part of {@code output}: after the last marker, trimmed; null when the marker is missing. */
    public String response(String output) {
        if (this == NONE) {
            return output.strip();
        }
        int at = output.lastIndexOf(marker);
        return at < 0 ? null : output.substring(at + marker.length()).strip();
    }

    /** The thought part of {@code output}: before the marker (and after the thoughts marker), trimmed. */
    public String thought(String output) {
        if (this == NONE) {
            return "";
        }
        int at = output.lastIndexOf(marker);
        String before = at < 0 ? output : output.substring(0, at);
        if (this == GENERIC && before.contains(THOUGHTS_MARKER)) {
            before = before.substring(before.indexOf(THOUGHTS_MARKER) + THOUGHTS_MARKER.length());
        }
        return before.strip();
    }
}
