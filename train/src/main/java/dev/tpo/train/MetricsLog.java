package dev.tpo.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;

/** metrics.jsonl: one JSON object per logging step, appended and flushed so a crash loses at most one line. */
public final class MetricsLog implements AutoCloseable {
    public static final String FILE = "metrics.jsonl";
    public static final String SUMMARY_FILE = "train_summary.json";

    private final ObjectMapper json = new ObjectMapper();
    private final BufferedWriter out;

    public MetricsLog(Path outputDir) {
        try {
            Files.createDirectories(outputDir);
            out = Files.newBufferedWriter(
                    outputDir.resolve(FILE),
                    StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + outputDir.resolve(FILE) + ": " + e.getMessage(), e);
        }
    }

    public void write(Map<String, Double> metrics) {
        try {
            out.write(json.writeValueAsString(toJson(metrics)));
            out.write('\n');
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append metrics: " + e.getMessage(), e);
        }
    }

    public static void writeSummary(Path outputDir, Map<String, Double> summary) {
        ObjectMapper json = new ObjectMapper();
        try {
            json.writerWithDefaultPrettyPrinter()
                    .writeValue(outputDir.resolve(SUMMARY_FILE).toFile(), toJson(summary));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + SUMMARY_FILE + ": " + e.getMessage(), e);
        }
    }

    private static ObjectNode toJson(Map<String, Double> metrics) {
        ObjectNode n = new ObjectMapper().createObjectNode();
        metrics.forEach((k, v) -> {
            if (k.equals("step")) {
                n.put(k, v.intValue());
            } else {
                n.put(k, v);
            }
        });
        return n;
    }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
