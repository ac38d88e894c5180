package dev.tpo.demo.synthetic;

/**
 * One seed SFT example in text form: the user message (already wrapped in the thought prompt) and the assistant
 * output. {@code kind} is null for direct responses.
 */
public record SeedExample(
        String promptId,
        String category,
        ThoughtFormat format,
        ThoughtKind kind,
        String user,
        String output,
        String reference) {

    /** Whether the response in {@link #output} is the reference. */
    public boolean answersCorrectly() {
        return reference.equals(format.response(output));
    }
}
