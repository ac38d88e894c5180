package dev.tpo.method.prompts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PromptSetTest {
    @TempDir
    Path dir;

    private Path file(String... lines) throws IOException {
        Path f = dir.resolve("prompts.jsonl");
        Files.writeString(f, String.join("\n", lines) + "\n");
        return f;
    }

    private String error(String... lines) throws IOException {
        Path f = file(lines);
        return assertThrows(PromptSetException.class, () -> PromptSet.read(f)).getMessage();
    }

    @Test
    void writesAndReadsBackWithOptionalFieldsOmitted() throws IOException {
        List<PromptItem> items = List.of(
                new PromptItem("a", "Write a haiku.", "creative", null),
                new PromptItem("b", "What is 6*7?\nExplain.", null, "42"));
        Path f = dir.resolve("out/set.jsonl");
        PromptSet.write(f, items);
        assertEquals(items, PromptSet.read(f));
        String text = Files.readString(f);
        assertFalse(text.contains("null"), text);
        assertEquals(2, text.lines().count());
        assertFalse(Files.exists(dir.resolve("out/set.jsonl.tmp")));
    }

    @Test
    void blankLinesAreSkippedButCountedInLineNumbers() throws IOException {
        Path f = file("{\"id\":\"1\",\"prompt\":\"p\"}", "", "  ", "{\"id\":\"2\",\"prompt\":\"q\"}");
        assertEquals(
                List.of("1", "2"),
                PromptSet.read(f).stream().map(PromptItem::id).toList());
        String message = error("{\"id\":\"1\",\"prompt\":\"p\"}", "", "{\"id\":\"2\"");
        assertTrue(message.contains("prompts.jsonl:3: not valid JSON"), message);
    }

    @Test
    void errorsNameFileLineAndField() throws IOException {
        String ok = "{\"id\":\"1\",\"prompt\":\"p\"}";
        assertTrue(error(ok, "{\"prompt\":\"p\"}").contains("prompts.jsonl:2: field 'id' is missing"));
        assertTrue(error(ok, "{\"id\":\" \",\"prompt\":\"p\"}").contains(":2: field 'id' is empty"));
        assertTrue(error(ok, "{\"id\":\"2\",\"prompt\":\"\"}").contains(":2: field 'prompt' is empty"));
        assertTrue(error(ok, "{\"id\":\"2\"}").contains(":2: field 'prompt' is missing"));
        assertTrue(error(ok, "{\"id\":\"1\",\"prompt\":\"q\"}").contains(":2: duplicate id '1' (first on line 1)"));
        assertTrue(error(ok, "{\"id\":\"2\",\"prompt\":\"q\",\"refrence\":\"x\"}")
                .contains(":2: unknown field 'refrence'"));
        assertTrue(error("{\"id\":3,\"prompt\":\"q\"}").contains(":1: field 'id' must be a string, got NUMBER"));
        assertTrue(error("[1,2]").contains(":1: expected a JSON object, got ARRAY"));
        assertTrue(error("{\"id\":\"1\",\"prompt\":\"p\"} {}").contains(":1: not valid JSON"));
    }

    @Test
    void missingFileIsAPromptSetException() {
        String message = assertThrows(PromptSetException.class, () -> PromptSet.read(dir.resolve("nope.jsonl")))
                .getMessage();
        assertTrue(message.contains("nope.jsonl: cannot read"), message);
    }
}
