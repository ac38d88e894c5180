package dev.tpo.demo.synthetic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tpo.api.spec.ThoughtMode;
import dev.tpo.method.thought.ParsedOutput;
import dev.tpo.method.thought.ThoughtPrompt;
import org.junit.jupiter.api.Test;

/** What the demo writes and what the pipeline reads must agree: the demo's formats against the method's prompts. */
class ThoughtFormatTest {
    private static final String QUERY = "Mod 10, left to right: 7 +5=? *3=? +9=? *4=?.";

    @Test
    void thePapersTextIsTheMethodsPromptItself() {
        for (ThoughtFormat format : ThoughtFormat.values()) {
            ThoughtPrompt method = ThoughtPrompt.of(format.mode(), null, null);
            assertEquals(method, format.prompt(true), format.name());
            assertEquals(method.wrap(QUERY), format.wrap(QUERY, true), format.name());
        }
        assertEquals(ThoughtMode.SPECIFIC, ThoughtFormat.SPECIFIC.mode());
        assertEquals(ThoughtMode.GENERIC, ThoughtFormat.GENERIC.mode());
        assertEquals(ThoughtMode.NONE, ThoughtFormat.NONE.mode());
        assertEquals(ThoughtPrompt.SPECIFIC_MARKER, ThoughtFormat.SPECIFIC.marker());
        assertEquals(ThoughtPrompt.GENERIC_MARKER, ThoughtFormat.GENERIC.marker());
        assertNull(ThoughtFormat.NONE.marker());
    }

    @Test
    void theShortenedTextIsACustomPromptWithThePapersMarker() {
        for (ThoughtFormat format : new ThoughtFormat[] {ThoughtFormat.SPECIFIC, ThoughtFormat.GENERIC}) {
            ThoughtPrompt shortened = format.prompt(false);
            assertEquals(ThoughtMode.CUSTOM, shortened.mode());
            assertEquals(format.prompt(true).responseMarker(), shortened.responseMarker(), format.name());
            assertTrue(shortened.template().endsWith("User query: " + ThoughtPrompt.INSTRUCTION));
            assertTrue(
                    shortened.template().length()
                            < format.prompt(true).template().length(),
                    "shorter, for a character-level model");
        }
        assertTrue(ThoughtFormat.GENERIC.wrap(QUERY, false).contains(ThoughtPrompt.GENERIC_THOUGHTS_MARKER));
        assertSame(ThoughtFormat.NONE.prompt(true), ThoughtFormat.NONE.prompt(false));
        assertEquals(QUERY, ThoughtFormat.NONE.wrap(QUERY, false));
    }

    @Test
    void thePipelineParsesTheSeedsOutputsAsTheDemoWritesThem() {
        for (ThoughtFormat format : ThoughtFormat.values()) {
            String output = format.output("Work: 7 +5=2 *3=6 +9=5 *4=0. Draft 0, ok.", "0");
            for (boolean paperText : new boolean[] {true, false}) {
                ParsedOutput parsed = format.prompt(paperText).parse(output);
                assertFalse(parsed.malformed(), format + " " + paperText);
                assertEquals(format.response(output), parsed.response(), format + " " + paperText);
                assertTrue(parsed.thought().endsWith(format.thought(output)), format + " " + paperText);
            }
        }
        assertTrue(ThoughtFormat.SPECIFIC.prompt(false).parse("Easy. no marker").malformed());
        assertNull(ThoughtFormat.SPECIFIC.response("Easy. no marker"));
    }

    @Test
    void theTextsAreUnchangedSoACachedSeedStillMatches() {
        assertEquals(
                "Think, draft, check, then respond after \"<R>\".\n\nUser query: " + QUERY,
                ThoughtFormat.SPECIFIC.wrap(QUERY, false));
        assertEquals(
                "Thoughts after \"Here is my thought process:\", response after \"Here is my response:\".\n\n"
                        + "User query: " + QUERY,
                ThoughtFormat.GENERIC.wrap(QUERY, false));
        assertEquals(
                "Respond to the following user query in a comprehensive and detailed way. But first write down"
                        + " your internal thoughts. This must include your draft response and its evaluation. After this,"
                        + " write your final response after \"<R>\".\n\nUser query: " + QUERY,
                ThoughtFormat.SPECIFIC.wrap(QUERY, true));
        assertEquals(
                "Respond to the following user query in a comprehensive and detailed way. You can write down"
                        + " your thought process before responding. Write your thoughts after \"Here is my thought process:\""
                        + " and write your response after \"Here is my response:\".\n\nUser query: " + QUERY,
                ThoughtFormat.GENERIC.wrap(QUERY, true));
        assertEquals("thought\n<R>0", ThoughtFormat.SPECIFIC.output("thought", "0"));
        assertEquals(
                "Here is my thought process: thought\nHere is my response: 0",
                ThoughtFormat.GENERIC.output("thought", "0"));
    }
}
