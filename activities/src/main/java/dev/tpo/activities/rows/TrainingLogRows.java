package dev.tpo.activities.rows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rows of a DPO metrics.jsonl (TRL's names: loss, rewards/margins, rewards/accuracies, ..., with the step), for
 * the run report's curves and MLflow's per-step metrics. A row without a step is numbered by its position.
 */
public final class TrainingLogRows {
    private static final ObjectMapper JSON = new ObjectMapper();

    private TrainingLogRows() {}

    public static List<Map<String, Double>> parse(byte[] jsonl, String source) {
        List<Map<String, Double>> rows = new ArrayList<>();
        String[] lines = new String(jsonl, StandardCharsets.UTF_8).split("\n");
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            try {
                JsonNode node = JSON.readTree(lines[i]);
                Map<String, Double> row = new LinkedHashMap<>();
                for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    if (e.getValue().isNumber()) {
                        row.put(e.getKey(), e.getValue().asDouble());
                    }
                }
                row.putIfAbsent("step", (double) (rows.size() + 1));
                rows.add(row);
            } catch (IOException e) {
                throw new UncheckedIOException(source + ":" + (i + 1) + ": not a JSON object: " + e.getMessage(), e);
            }
        }
        return rows;
    }

    /** The last step logged, 0 for an empty log. */
    public static long lastStep(List<Map<String, Double>> rows) {
        return rows.isEmpty() ? 0 : rows.get(rows.size() - 1).get("step").longValue();
    }
}
