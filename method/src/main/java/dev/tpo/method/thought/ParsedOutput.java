package dev.tpo.method.thought;

/**
 * One sampled output split into the hidden thought and the response a user (and a judge) sees.
 *
 * @param thought         the text before the response marker, trimmed ("" in mode none); for a malformed output,
 *                        the whole output, trimmed, so that thought-length statistics still count it
 * @param response        the text after the marker, trimmed; "" when malformed
 * @param malformed       true when no response could be found: never shown to a judge, never chosen
 * @param malformedReason why, for the iteration report; null when well-formed
 */
public record ParsedOutput(String thought, String response, boolean malformed, String malformedReason) {

    public static ParsedOutput wellFormed(String thought, String response) {
        return new ParsedOutput(thought, response, false, null);
    }

    public static ParsedOutput malformed(String wholeOutput, String reason) {
        return new ParsedOutput(wholeOutput.strip(), "", true, reason);
    }
}
