package dev.tpo.activities.storage;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The JSON and JSONL conventions of every file the steps write: snake_case, one record per line. */
public final class StepJson {
    private final ObjectMapper mapper = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .findAndAddModules()
            .build();

    public ObjectMapper mapper() {
        return mapper;
    }

    public byte[] bytes(Object value) {
        try {
            return mapper.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode " + value.getClass().getSimpleName(), e);
        }
    }

    public byte[] prettyBytes(Object value) {
        try {
            return mapper.writerWithDefaultPrettyPrinter().writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode " + value.getClass().getSimpleName(), e);
        }
    }

    /** Stable text for input keys: the same settings always hash the same. */
    String canonical(Object value) {
        try {
            return mapper.copy()
                    .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true)
                    .writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode " + value.getClass().getSimpleName(), e);
        }
    }

    public <T> T read(byte[] data, Class<T> type) {
        try {
            return mapper.readValue(data, type);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot decode " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    public byte[] jsonl(List<?> rows) {
        StringBuilder out = new StringBuilder();
        try {
            for (Object row : rows) {
                out.append(mapper.writeValueAsString(row)).append('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode a JSONL row", e);
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    void writeJsonl(Path file, List<?> rows) {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (Object row : rows) {
                w.write(mapper.writeValueAsString(row));
                w.write('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    public <T> List<T> readJsonl(byte[] data, Class<T> type) {
        JavaType javaType = mapper.constructType(type);
        List<T> rows = new ArrayList<>();
        String[] lines = new String(data, StandardCharsets.UTF_8).split("\n");
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            try {
                rows.add(mapper.readValue(lines[i], javaType));
            } catch (IOException e) {
                throw new UncheckedIOException(
                        "line " + (i + 1) + " is not a " + type.getSimpleName() + ": " + e.getMessage(), e);
            }
        }
        return rows;
    }

    <T> List<T> readJsonl(Path file, Class<T> type) {
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            List<T> rows = new ArrayList<>();
            String line;
            int number = 0;
            while ((line = r.readLine()) != null) {
                number++;
                if (!line.isBlank()) {
                    try {
                        rows.add(mapper.readValue(line, type));
                    } catch (IOException e) {
                        throw new UncheckedIOException(file + ":" + number + ": " + e.getMessage(), e);
                    }
                }
            }
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
