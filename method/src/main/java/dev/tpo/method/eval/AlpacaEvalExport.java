package dev.tpo.method.eval;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.nio.file.Path;
import java.util.List;

/**
 * Answers in AlpacaEval's model-outputs format: a JSON array of {@code {instruction, output, generator}}, the
 * instruction being the plain user prompt and the output the response without its thought (a malformed output
 * exports as "", which AlpacaEval's annotator then judges as the empty answer it is).
 */
public final class AlpacaEvalExport {
    private AlpacaEvalExport() {}

    public static String render(List<EvalItem> items, AnswerSide side, String generator) {
        if (generator == null || generator.isBlank()) {
            throw new IllegalArgumentException("AlpacaEval generator name must not be empty");
        }
        ObjectMapper json = new ObjectMapper();
        ArrayNode array = json.createArrayNode();
        for (EvalItem item : items) {
            array.addObject()
                    .put("instruction", item.prompt())
                    .put("output", side.answer(item))
                    .put("generator", generator);
        }
        try {
            return json.writerWithDefaultPrettyPrinter().writeValueAsString(array) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render AlpacaEval answers", e);
        }
    }

    public static void write(Path file, List<EvalItem> items, AnswerSide side, String generator) {
        AtomicFile.write(file, render(items, side, generator));
    }
}
