package dev.tpo.method.thought;

import dev.tpo.api.spec.ThoughtMode;
import java.util.Objects;

/**
 * A thought prompt: the template an instruction is wrapped in, and the marker after which the response starts.
 *
 * <p>Parsing splits at the <b>last</b> occurrence of the marker. The paper splits "by plain string matching on the
 * marker" without saying which occurrence; the last is chosen because the thought is where a model talks about
 * the marker ("I'll write my final response after &lt;R&gt;") and, under the specific prompt, drafts a response
 * it then evaluates. Splitting at the first occurrence would hand the rest of the thought to the judge and the
 * user, which the method forbids; splitting at the last can at worst drop a response's own quotation of the
 * marker into the hidden part.
 *
 * @param template       contains {@code {instruction}} exactly where the instruction goes (mode none: just that)
 * @param responseMarker the text after which the response starts ("" in mode none)
 */
public record ThoughtPrompt(ThoughtMode mode, String template, String responseMarker) {
    public static final String INSTRUCTION = "{instruction}";

    /** The paper's generic thought prompt. */
    public static final String GENERIC_TEMPLATE = "Respond to the following user query in a comprehensive and "
            + "detailed way. You can write down your thought process before responding. Write your thoughts after "
            + "\"Here is my thought process:\" and write your response after \"Here is my response:\".\n\n"
            + "User query: " + INSTRUCTION;

    public static final String GENERIC_MARKER = "Here is my response:";
    /** The text the generic prompt asks the model to write its thoughts after. */
    public static final String GENERIC_THOUGHTS_MARKER = "Here is my thought process:";

    /** The paper's specific thought prompt (the arXiv version's {@code <R>} marker). */
    public static final String SPECIFIC_TEMPLATE = "Respond to the following user query in a comprehensive and "
            + "detailed way. But first write down your internal thoughts. This must include your draft response and "
            + "its evaluation. After this, write your final response after \"<R>\".\n\n"
            + "User query: " + INSTRUCTION;

    public static final String SPECIFIC_MARKER = "<R>";

    public ThoughtPrompt {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(template, "template");
        Objects.requireNonNull(responseMarker, "responseMarker");
        if (!template.contains(INSTRUCTION)) {
            throw new IllegalArgumentException("thought template must contain " + INSTRUCTION);
        }
        if (mode == ThoughtMode.NONE) {
            if (!template.equals(INSTRUCTION) || !responseMarker.isEmpty()) {
                throw new IllegalArgumentException("thought mode none takes no template and no response marker");
            }
        } else {
            if (responseMarker.isBlank()) {
                throw new IllegalArgumentException(
                        "response marker must not be empty in thought mode " + mode.wireName());
            }
            if (!template.replace(INSTRUCTION, "").contains(responseMarker)) {
                throw new IllegalArgumentException("response marker '" + responseMarker
                        + "' does not appear in the thought template, so the model is never told to write it");
            }
        }
    }

    /**
     * @param customTemplate used only (and required) for {@link ThoughtMode#CUSTOM}
     * @param customMarker   used only (and required) for {@link ThoughtMode#CUSTOM}
     */
    public static ThoughtPrompt of(ThoughtMode mode, String customTemplate, String customMarker) {
        Objects.requireNonNull(mode, "thought mode");
        return switch (mode) {
            case SPECIFIC -> new ThoughtPrompt(mode, SPECIFIC_TEMPLATE, SPECIFIC_MARKER);
            case GENERIC -> new ThoughtPrompt(mode, GENERIC_TEMPLATE, GENERIC_MARKER);
            case NONE -> new ThoughtPrompt(mode, INSTRUCTION, "");
            case CUSTOM -> {
                if (customTemplate == null || customTemplate.isBlank()) {
                    throw new IllegalArgumentException("thought mode custom needs a template");
                }
                if (customMarker == null || customMarker.isBlank()) {
                    throw new IllegalArgumentException("thought mode custom needs a response marker");
                }
                yield new ThoughtPrompt(mode, customTemplate, customMarker);
            }
        };
    }

    /** The user turn sent to the policy: the instruction inside the template (mode none: unchanged). */
    public String wrap(String instruction) {
        Objects.requireNonNull(instruction, "instruction");
        // String.replace makes one pass over the template, so an instruction that itself contains
        // "{instruction}" is inserted verbatim rather than expanded again.
        return template.replace(INSTRUCTION, instruction);
    }

    /** Splits a sampled output (special tokens already removed) into thought and response. */
    public ParsedOutput parse(String output) {
        Objects.requireNonNull(output, "output");
        if (mode == ThoughtMode.NONE) {
            return output.isBlank()
                    ? ParsedOutput.malformed(output, "empty output")
                    : ParsedOutput.wellFormed("", output.strip());
        }
        int at = output.lastIndexOf(responseMarker);
        if (at < 0) {
            return ParsedOutput.malformed(output, "response marker '" + responseMarker + "' not found");
        }
        String response = output.substring(at + responseMarker.length()).strip();
        if (response.isEmpty()) {
            return ParsedOutput.malformed(output, "empty response after marker '" + responseMarker + "'");
        }
        return ParsedOutput.wellFormed(output.substring(0, at).strip(), response);
    }
}
