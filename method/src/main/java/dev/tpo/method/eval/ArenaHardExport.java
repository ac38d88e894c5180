package dev.tpo.method.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Answers in Arena-Hard's model-answer JSONL: one line per question,
 * {@code {question_id, answer_id, model_id, choices: [{index: 0, turns: [{content}]}], tstamp}}. The question id is
 * the prompt id. The answer id is derived from model, question and content (a name-based UUID without dashes)
 * rather than drawn at random, so exporting the same answers twice gives the same file; the time stamp is the
 * caller's, for the same reason.
 */
public final class ArenaHardExport {
    private ArenaHardExport() {}

    public static String render(List<EvalItem> items, AnswerSide side, String modelId, Instant tstamp) {
        if (modelId == null || modelId.isBlank()) {
            throw new IllegalArgumentException("Arena-Hard model id must not be empty");
        }
        ObjectMapper json = new ObjectMapper();
        double seconds = tstamp.getEpochSecond() + tstamp.getNano() / 1e9;
        StringBuilder out = new StringBuilder();
        for (EvalItem item : items) {
            String content = side.answer(item);
            ObjectNode line = json.createObjectNode();
            line.put("question_id", item.promptId());
            line.put("answer_id", answerId(modelId, item.promptId(), content));
            line.put("model_id", modelId);
            ObjectNode choice = line.putArray("choices").addObject();
            choice.put("index", 0);
            choice.putArray("turns").addObject().put("content", content);
            line.put("tstamp", seconds);
            out.append(line).append('\n');
        }
        return out.toString();
    }

    public static void write(Path file, List<EvalItem> items, AnswerSide side, String modelId, Instant tstamp) {
        AtomicFile.write(file, render(items, side, modelId, tstamp));
    }

    static String answerId(String modelId, String questionId, String content) {
        byte[] key = (modelId + '\u0000' + questionId + '\u0000' + content).getBytes(StandardCharsets.UTF_8);
        return UUID.nameUUIDFromBytes(key).toString().replace("-", "");
    }
}
