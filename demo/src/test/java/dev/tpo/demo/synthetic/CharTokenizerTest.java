package dev.tpo.demo.synthetic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tpo.model.tokenizer.ChatMessage;
import dev.tpo.model.tokenizer.ModelTokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CharTokenizerTest {
    @TempDir
    Path dir;

    @Test
    void everyCharacterIsOneTokenAndDecodesBack() {
        CharTokenizer.write(dir);
        assertTrue(CharTokenizer.vocabSize() <= 110);
        try (ModelTokenizer t = ModelTokenizer.open(dir)) {
            String text = "Work: 7+5+0=12:2 c1:1432. Draft 1432, ok.\n<R>1432 ~{|}\"'`\\";
            long[] ids = t.encode(text, false);
            assertEquals(text.length(), ids.length);
            for (int i = 0; i < text.length(); i++) {
                assertEquals(CharTokenizer.id(String.valueOf(text.charAt(i))), ids[i]);
            }
            assertEquals(text, t.decode(ids, true));
            assertArrayEquals(ids, t.encode(text, true), "no special tokens are added to plain text");
            assertEquals(List.of((long) CharTokenizer.id(CharTokenizer.EOS)), t.eosTokenIds());
            assertEquals(CharTokenizer.id(CharTokenizer.PAD), t.padTokenId());
            assertEquals(CharTokenizer.id(CharTokenizer.BOS), t.bosTokenId().orElseThrow());
            assertEquals(CharTokenizer.vocabSize(), t.text().vocabSize());
        }
    }

    @Test
    void chatTemplateRendersRolesAndEndsAssistantTurnsWithEos() {
        CharTokenizer.write(dir);
        try (ModelTokenizer t = ModelTokenizer.open(dir)) {
            String user = ThoughtFormat.SPECIFIC.wrap("Add 100 and 200.", false);
            assertEquals("<s><|user|>" + user + "<|assistant|>", t.renderChat(List.of(ChatMessage.user(user)), true));
            String full = t.renderChat(
                    List.of(ChatMessage.user("hi"), ChatMessage.assistant("Easy. Draft 3, ok.\n<R>3")), false);
            assertEquals("<s><|user|>hi<|assistant|>Easy. Draft 3, ok.\n<R>3</s>", full);
            long[] ids = t.encodeChat(List.of(ChatMessage.user("hi")), true);
            assertArrayEquals(new long[] {1, 5, CharTokenizer.id("h"), CharTokenizer.id("i"), 6}, ids);
            assertEquals("hi", t.decode(ids, true));
        }
    }

    @Test
    void suiteWritesSftIdsThatDecodeToTheTextExamples() throws Exception {
        SyntheticSuite suite = new SyntheticSuite(SyntheticSuiteTest.small(9));
        suite.write(dir);
        List<String> lines = Files.readAllLines(dir.resolve("sft.jsonl"));
        assertEquals(suite.seedExamples().size(), lines.size());
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        try (ModelTokenizer t = ModelTokenizer.open(dir.resolve("tokenizer"))) {
            for (int i = 0; i < 20; i++) {
                var row = json.readTree(lines.get(i));
                SeedExample e = suite.seedExamples().get(i);
                long[] prompt = json.convertValue(row.get("prompt_ids"), long[].class);
                long[] completion = json.convertValue(row.get("completion_ids"), long[].class);
                assertEquals("<s><|user|>" + e.user() + "<|assistant|>", t.decode(prompt, false));
                assertEquals(e.output() + "</s>", t.decode(completion, false));
            }
        }
        assertTrue(Files.isRegularFile(dir.resolve("eval-prompts.jsonl")));
        assertEquals(
                suite.trainPrompts().size(),
                Files.readAllLines(dir.resolve("train-prompts.jsonl")).size());
    }
}
