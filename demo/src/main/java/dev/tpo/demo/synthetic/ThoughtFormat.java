package dev.tpo.demo.synthetic;

import dev.tpo.api.spec.ThoughtMode;
import dev.tpo.method.thought.ThoughtPrompt;

/**
 * The three output formats of the demo: the paper's two thought prompts and direct responses (the DRB).
 *
 * <p>The paper's prompts and markers have one source, {@link ThoughtPrompt}: {@link #prompt} with {@code paperText}
 * is {@code ThoughtPrompt.of(mode)} itself. Without it, the demo uses a shortened instruction on purpose, because on
 * a character-level model every prompt character costs a position in every forward pass; the short text keeps the
 * same markers ({@code <R>}; {@code Here is my thought process:} / {@code Here is my response:}) and runs as a custom
 * thought prompt, so the pipeline parses the seed's outputs exactly as this class writes them
 * ({@code ThoughtFormatTest} ties the two).
 */
public enum ThoughtFormat {
    SPECIFIC(
            ThoughtMode.SPECIFIC,
            "Think, draft, check, then respond after \"" + ThoughtPrompt.SPECIFIC_MARKER + "\".\n\nUser query: "
                    + ThoughtPrompt.INSTRUCTION),
    GENERIC(
            ThoughtMode.GENERIC,
            "Thoughts after \"" + ThoughtPrompt.GENERIC_THOUGHTS_MARKER + "\", response after" + " \""
                    + ThoughtPrompt.GENERIC_MARKER + "\".\n\nUser query: " + ThoughtPrompt.INSTRUCTION),
    NONE(ThoughtMode.NONE, null);

    static final String THOUGHTS_MARKER = ThoughtPrompt.GENERIC_THOUGHTS_MARKER;

    private final ThoughtMode mode;
    private final ThoughtPrompt paper;
    private final ThoughtPrompt shortened;

    ThoughtFormat(ThoughtMode mode, String shortTemplate) {
        this.mode = mode;
        this.paper = ThoughtPrompt.of(mode, null, null);
        this.shortened = shortTemplate == null
                ? paper
                : ThoughtPrompt.of(ThoughtMode.CUSTOM, shortTemplate, paper.responseMarker());
    }

    /** The run spec's thought mode for the paper's prompt in this format. */
    public ThoughtMode mode() {
        return mode;
    }

    /**
     * The thought prompt a run uses for this format: the paper's ({@code paperText}) or the demo's shortened one,
     * a custom prompt with the paper's marker (mode none for direct responses either way).
     */
    public ThoughtPrompt prompt(boolean paperText) {
        return paperText ? paper : shortened;
    }

    /** The string that separates thought from response; null for direct responses. */
    public String marker() {
        return this == NONE ? null : paper.responseMarker();
    }

    /** The user message for {@code instruction}. */
    public String wrap(String instruction, boolean paperText) {
        return prompt(paperText).wrap(instruction);
    }

    /** The assistant output: the thought and the response in this format (the thought is dropped for NONE). */
    public String output(String thought, String response) {
        return switch (this) {
            case SPECIFIC -> thought + "\n" + marker() + response;
            case GENERIC -> THOUGHTS_MARKER + " " + thought + "\n" + marker() + " " + response;
            case NONE -> response;
        };
    }

    /** The response part of {@code output}: after the last marker, trimmed; null when the marker is missing. */
    public String response(String output) {
        if (this == NONE) {
            return output.strip();
        }
        int at = output.lastIndexOf(marker());
        return at < 0 ? null : output.substring(at + marker().length()).strip();
    }

    /** The thought part of {@code output}: before the marker (and after the thoughts marker), trimmed. */
    public String thought(String output) {
        if (this == NONE) {
            return "";
        }
        int at = output.lastIndexOf(marker());
        String before = at < 0 ? output : output.substring(0, at);
        if (this == GENERIC && before.contains(THOUGHTS_MARKER)) {
            before = before.substring(before.indexOf(THOUGHTS_MARKER) + THOUGHTS_MARKER.length());
        }
        return before.strip();
    }
}
