package dev.tpo.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** For tests of what travels or is stored as JSON (history payloads, reports): everything is snake_case. */
public final class JsonKeys {
    private JsonKeys() {}

    /**
     * Every object key with an upper-case letter, as a path from {@code path}; map keys in what these tests walk
     * (metric, step and category names) are data and lower-case.
     */
    public static List<String> camelCaseKeys(JsonNode node, String path) {
        List<String> found = new ArrayList<>();
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                String at = path + "." + field.getKey();
                if (!field.getKey().equals(field.getKey().toLowerCase())) {
                    found.add(at);
                }
                found.addAll(camelCaseKeys(field.getValue(), at));
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                found.addAll(camelCaseKeys(node.get(i), path + "[" + i + "]"));
            }
        }
        return found;
    }
}
