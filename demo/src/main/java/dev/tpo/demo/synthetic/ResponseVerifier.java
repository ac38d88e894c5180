package dev.tpo.demo.synthetic;

/**
 * The suite's exact-match judge: a response is correct when, stripped, it equals the reference. Outputs of a
 * thought format without its marker are malformed.
 */
public final class ResponseVerifier {

    /** The result for one output. */
    public record Verdict(boolean malformed, boolean correct, String thought, String response) {}

    private ResponseVerifier() {}

    public static Verdict verify(ThoughtFormat format, String output, String reference) {
        String response = format.response(output);
        if (response == null) {
            return new Verdict(true, false, format.thought(output), null);
        }
        return new Verdict(false, response.equals(reference.strip()), format.thought(output), response);
    }
}
