package dev.tpo.method.prompts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Prompt sets as JSONL: one object per line with {@code id} and {@code prompt} (non-empty strings) and optional
 * {@code category} and {@code reference} (strings or null). Blank lines are skipped. Unknown fields are errors
 * rather than ignored, so a misspelt {@code refrence} cannot silently turn a verifier set into an unverified one.
 */
public final class PromptSet {
    private static final Set<String> FIELDS = Set.of("id", "prompt", "category", "reference");

    private PromptSet() {}

    public static List<PromptItem> read(Path jsonl) {
        ObjectMapper json = mapper();
        List<PromptItem> items = new ArrayList<>();
        Map<String, Integer> firstLine = new HashMap<>();
        try (BufferedReader reader = Files.newBufferedReader(jsonl, StandardCharsets.UTF_8)) {
            String line;
            int number = 0;
            while ((line = reader.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                PromptItem item = parseLine(json, line, jsonl + ":" + number);
                Integer earlier = firstLine.putIfAbsent(item.id(), number);
                if (earlier != null) {
                    throw new PromptSetException(jsonl + ":" + number + ": duplicate id '" + item.id()
                            + "' (first on line " + earlier + ")");
                }
                items.add(item);
            }
        } catch (IOException e) {
            throw new PromptSetException(jsonl + ": cannot read: " + e.getMessage(), e);
        }
        return items;
    }

    /** Writes atomically (a temporary file moved into place), omitting null fields. */
    public static void write(Path jsonl, List<PromptItem> items) {
        ObjectMapper json = mapper();
        Path tmp = jsonl.resolveSibling(jsonl.getFileName() + ".tmp");
        try {
            if (jsonl.getParent() != null) {
                Files.createDirectories(jsonl.getParent());
            }
            try (BufferedWriter out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                for (PromptItem item : items) {
                    out.write(json.writeValueAsString(item));
                    out.write('\n');
                }
            }
            Files.move(tmp, jsonl, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new PromptSetException(jsonl + ": cannot write: " + e.getMessage(), e);
        }
    }

    private static PromptItem parseLine(ObjectMapper json, String line, String where) {
        JsonNode node;
        try {
            node = json.readTree(line);
        } catch (JsonProcessingException e) {
            throw new PromptSetException(where + ": not valid JSON: " + e.getOriginalMessage());
        }
        if (!(node instanceof ObjectNode object)) {
            throw new PromptSetException(where + ": expected a JSON object, got " + node.getNodeType());
        }
        for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw new PromptSetException(
                        where + ": unknown field '" + name + "' (expected id, prompt, category, reference)");
            }
        }
        String id = requiredText(object, "id", where);
        String prompt = requiredText(object, "prompt", where);
        return new PromptItem(
                id, prompt, optionalText(object, "category", where), optionalText(object, "reference", where));
    }

    private static String requiredText(ObjectNode object, String field, String where) {
        String value = optionalText(object, field, where);
        if (value == null) {
            throw new PromptSetException(where + ": field '" + field + "' is missing");
        }
        if (value.isBlank()) {
            throw new PromptSetException(where + ": field '" + field + "' is empty");
        }
        return value;
    }

    private static String optionalText(ObjectNode object, String field, String where) {
        JsonNode value = object.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new PromptSetException(
                    where + ": field '" + field + "' must be a string, got " + value.getNodeType());
        }
        return value.asText();
    }

    private static ObjectMapper mapper() {
        return new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }
}
