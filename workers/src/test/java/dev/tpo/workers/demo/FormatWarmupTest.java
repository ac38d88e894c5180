package dev.tpo.workers.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The cut that keeps a thought stopped by the token limit up to its last whole sentence or line. */
class FormatWarmupTest {
    @Test
    void cutThoughtsKeepWholeSentencesOrLines() {
        assertEquals(
                "6 * 7 = 42. So the answer is 42.",
                FormatWarmup.wholeSentences("6 * 7 = 42. So the answer is 42. Now let me che"));
        assertEquals("First: 6 * 7\nThen", FormatWarmup.wholeSentences("First: 6 * 7\nThen\nsomething wit"));
        assertEquals("Is it 42?", FormatWarmup.wholeSentences("Is it 42? Mayb"));
        assertEquals("", FormatWarmup.wholeSentences("no boundary at all in this one"));
        assertEquals("", FormatWarmup.wholeSentences("3.14 is not a sentence end"));
    }
}
