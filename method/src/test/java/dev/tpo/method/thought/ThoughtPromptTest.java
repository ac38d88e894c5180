package dev.tpo.method.thought;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tpo.api.spec.ThoughtMode;
import org.junit.jupiter.api.Test;

class ThoughtPromptTest {
    private final ThoughtPrompt specific = ThoughtPrompt.of(ThoughtMode.SPECIFIC, null, null);
    private final ThoughtPrompt generic = ThoughtPrompt.of(ThoughtMode.GENERIC, null, null);
    private final ThoughtPrompt none = ThoughtPrompt.of(ThoughtMode.NONE, null, null);

    @Test
    void wrapsThePapersPrompts() {
        String g = generic.wrap("Name a colour.");
        assertTrue(
                g.startsWith("Respond to the following user query in a comprehensive and detailed way. You can "
                        + "write down your thought process before responding."),
                g);
        assertTrue(g.endsWith("\"Here is my response:\".\n\nUser query: Name a colour."), g);
        String s = specific.wrap("Name a colour.");
        assertTrue(
                s.contains("This must include your draft response and its evaluation. After this, write your "
                        + "final response after \"<R>\".\n\nUser query: Name a colour."),
                s);
        assertEquals("<R>", specific.responseMarker());
        assertEquals("Here is my response:", generic.responseMarker());
        assertEquals("Name a colour.", none.wrap("Name a colour."));
    }

    @Test
    void anInstructionHoldingThePlaceholderIsInsertedVerbatim() {
        assertTrue(generic.wrap("echo {instruction}").endsWith("User query: echo {instruction}"));
    }

    @Test
    void splitsThoughtAndResponse() {
        ParsedOutput p = generic.parse("Here is my thought process: think.\n\nHere is my response: Blue.  ");
        assertFalse(p.malformed());
        assertEquals("Here is my thought process: think.", p.thought());
        assertEquals("Blue.", p.response());
        assertNull(p.malformedReason());
    }

    @Test
    void missingMarkerIsMalformedAndKeepsTheWholeOutputAsThought() {
        ParsedOutput p = specific.parse("  I thought about it but never answered.");
        assertTrue(p.malformed());
        assertEquals("", p.response());
        assertEquals("I thought about it but never answered.", p.thought());
        assertEquals("response marker '<R>' not found", p.malformedReason());
    }

    @Test
    void aMarkerInsideTheThoughtStaysHiddenBecauseTheLastMarkerSplits() {
        String out = "Draft: I will write my final answer after <R> once checked. Draft answer: Red. "
                + "Evaluation: wrong, the sky is blue.\n<R> The sky is blue.";
        ParsedOutput p = specific.parse(out);
        assertFalse(p.malformed());
        assertEquals("The sky is blue.", p.response());
        assertTrue(
                p.thought().contains("after <R> once checked") && p.thought().endsWith("the sky is blue."),
                p.thought());
    }

    @Test
    void emptyResponseAfterTheMarkerIsMalformed() {
        ParsedOutput p = specific.parse("Thoughts here.\n<R>\n  \n");
        assertTrue(p.malformed());
        assertEquals("", p.response());
        assertEquals("empty response after marker '<R>'", p.malformedReason());
        assertTrue(generic.parse("Here is my response:").malformed());
    }

    @Test
    void textBeforeTheThoughtBelongsToTheHiddenPart() {
        ParsedOutput p =
                generic.parse("Sure! Let me think.\nHere is my thought process: hmm.\n" + "Here is my response: 4");
        assertEquals("4", p.response());
        assertEquals("Sure! Let me think.\nHere is my thought process: hmm.", p.thought());
    }

    @Test
    void noneModeTakesTheWholeOutputAsResponse() {
        ParsedOutput p = none.parse("  Blue <R> is fine.\n");
        assertFalse(p.malformed());
        assertEquals("", p.thought());
        assertEquals("Blue <R> is fine.", p.response());
        ParsedOutput blank = none.parse(" \n ");
        assertTrue(blank.malformed());
        assertEquals("empty output", blank.malformedReason());
    }

    @Test
    void customTemplatesAreValidated() {
        ThoughtPrompt custom = ThoughtPrompt.of(
                ThoughtMode.CUSTOM, "Think in <t></t>, then answer after ANSWER:\n{instruction}", "ANSWER:");
        assertEquals("Think in <t></t>, then answer after ANSWER:\nWhy?", custom.wrap("Why?"));
        assertEquals("Because.", custom.parse("<t>x</t>\nANSWER: Because.").response());
        assertTrue(assertThrows(
                        IllegalArgumentException.class,
                        () -> ThoughtPrompt.of(ThoughtMode.CUSTOM, "no placeholder ANSWER:", "ANSWER:"))
                .getMessage()
                .contains("{instruction}"));
        assertTrue(assertThrows(
                        IllegalArgumentException.class,
                        () -> ThoughtPrompt.of(ThoughtMode.CUSTOM, "{instruction}", " "))
                .getMessage()
                .contains("response marker"));
        assertTrue(assertThrows(
                        IllegalArgumentException.class,
                        () -> ThoughtPrompt.of(ThoughtMode.CUSTOM, "Answer after FINAL. {instruction}", "ANSWER:"))
                .getMessage()
                .contains("does not appear in the thought template"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ThoughtPrompt.of(ThoughtMode.CUSTOM, null, "A"))
                .getMessage()
                .contains("needs a template"));
        // the marker must be in the template's own text, not only in the placeholder's name
        assertThrows(
                IllegalArgumentException.class,
                () -> ThoughtPrompt.of(ThoughtMode.CUSTOM, "{instruction}", "instruction"));
    }

    @Test
    void modesHaveLowerCaseWireNames() {
        assertEquals(ThoughtMode.SPECIFIC, ThoughtMode.parse(" Specific "));
        assertEquals("none", ThoughtMode.NONE.wireName());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ThoughtMode.parse("deep"))
                .getMessage()
                .contains("'deep'"));
    }
}
