package dev.tpo.method.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExportTest {
    private final ObjectMapper json = new ObjectMapper();
    private final List<EvalItem> items = List.of(
            new EvalItem("q1", "writing", "Write a \"haiku\".", null, "secret thought", "Leaves fall", false, "Snow"),
            new EvalItem("q2", null, "2+2?", "4", "I never answered", "", true, "4"));

    private static Set<String> keys(JsonNode node) {
        Set<String> out = new TreeSet<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            out.add(it.next());
        }
        return out;
    }

    @Test
    void alpacaEvalIsAJsonArrayOfInstructionOutputGenerator(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("alpaca/policy.json");
        AlpacaEvalExport.write(file, items, AnswerSide.POLICY, "tpo-iter-2");
        JsonNode array = json.readTree(Files.readString(file));
        assertTrue(array.isArray());
        assertEquals(2, array.size());
        assertEquals(Set.of("instruction", "output", "generator"), keys(array.get(0)));
        assertEquals("Write a \"haiku\".", array.get(0).get("instruction").asText());
        assertEquals("Leaves fall", array.get(0).get("output").asText());
        assertEquals("tpo-iter-2", array.get(0).get("generator").asText());
        assertEquals("", array.get(1).get("output").asText());
        assertTrue(!Files.readString(file).contains("secret thought"));
        JsonNode baseline = json.readTree(AlpacaEvalExport.render(items, AnswerSide.BASELINE, "drb"));
        assertEquals("Snow", baseline.get(0).get("output").asText());
        assertThrows(IllegalArgumentException.class, () -> AlpacaEvalExport.render(items, AnswerSide.POLICY, " "));
    }

    @Test
    void arenaHardIsOneAnswerPerLine(@TempDir Path dir) throws Exception {
        Instant at = Instant.parse("2024-10-14T12:00:00.5Z");
        Path file = dir.resolve("model_answer/tpo.jsonl");
        ArenaHardExport.write(file, items, AnswerSide.POLICY, "tpo", at);
        List<String> lines = Files.readAllLines(file);
        assertEquals(2, lines.size());
        JsonNode first = json.readTree(lines.get(0));
        assertEquals(Set.of("question_id", "answer_id", "model_id", "choices", "tstamp"), keys(first));
        assertEquals("q1", first.get("question_id").asText());
        assertEquals("tpo", first.get("model_id").asText());
        assertEquals(0, first.get("choices").get(0).get("index").asInt());
        assertEquals(
                "Leaves fall",
                first.get("choices").get(0).get("turns").get(0).get("content").asText());
        assertEquals(1, first.get("choices").get(0).get("turns").size());
        assertEquals(at.getEpochSecond() + 0.5, first.get("tstamp").asDouble(), 1e-6);
        assertEquals(32, first.get("answer_id").asText().length());
        // answer ids are stable across exports and differ between answers
        assertEquals(
                lines.get(0),
                ArenaHardExport.render(items, AnswerSide.POLICY, "tpo", at)
                        .lines()
                        .findFirst()
                        .orElseThrow());
        JsonNode baseline = json.readTree(ArenaHardExport.render(items, AnswerSide.BASELINE, "drb", at)
                .lines()
                .findFirst()
                .orElseThrow());
        assertNotEquals(
                first.get("answer_id").asText(), baseline.get("answer_id").asText());
        assertEquals(
                "Snow",
                baseline.get("choices")
                        .get(0)
                        .get("turns")
                        .get(0)
                        .get("content")
                        .asText());
    }
}
