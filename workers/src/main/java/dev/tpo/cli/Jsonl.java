package dev.tpo.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/** JSON Lines in and out, with errors that name the file and the line. */
public final class Jsonl {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Jsonl() {}

    /** One parsed line and where it came from, for error messages. */
    public record Line(Path file, int number, JsonNode json) {
        public UsageException error(String problem) {
            return new UsageException(file + ":" + number + ": " + problem);
        }

        public int[] intArray(String field) {
            JsonNode n = json.get(field);
            if (n == null || !n.isArray()) {
                throw error("field '" + field + "' must be a list of token ids");
            }
            int[] out = new int[n.size()];
            for (int i = 0; i < out.length; i++) {
                JsonNode e = n.get(i);
                if (!e.isIntegralNumber() || !e.canConvertToInt()) {
                    throw error("field '" + field + "' item " + i + " is not an integer token id: " + e);
                }
                out[i] = e.asInt();
            }
            return out;
        }

        public String text(String field) {
            JsonNode n = json.get(field);
            if (n == null || !n.isTextual()) {
                throw error("field '" + field + "' must be a string");
            }
            return n.asText();
        }
    }

    /** Reads every non-blank line; blank lines are skipped but still counted for line numbers. */
    public static List<Line> read(Path file) {
        List<Line> lines = new ArrayList<>();
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String text;
            int number = 0;
            while ((text = reader.readLine()) != null) {
                number++;
                if (text.isBlank()) {
                    continue;
                }
                JsonNode node;
                try {
                    node = JSON.readTree(text);
                } catch (JsonProcessingException e) {
                    throw new UsageException(file + ":" + number + ": malformed JSON: " + shortMessage(e));
                }
                if (!node.isObject()) {
                    throw new UsageException(file + ":" + number + ": expected a JSON object");
                }
                lines.add(new Line(file, number, node));
            }
        } catch (NoSuchFileException e) {
            throw new UsageException("input file not found: " + file);
        } catch (IOException e) {
            throw new UsageException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return lines;
    }

    private static String shortMessage(JsonProcessingException e) {
        String m = e.getOriginalMessage();
        int cut = m.indexOf(" (start marker");
        m = cut > 0 ? m.substring(0, cut) : m;
        cut = m.indexOf('\n');
        return cut > 0 ? m.substring(0, cut) : m;
    }

    /** Writes all lines to a temporary file and moves it into place, so a failed run leaves no partial output. */
    public static void write(Path file, List<?> rows) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path tmp = Files.createTempFile(parent, file.getFileName().toString(), ".tmp");
            try (BufferedWriter out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                for (Object row : rows) {
                    out.write(JSON.writeValueAsString(row));
                    out.write('\n');
                }
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
