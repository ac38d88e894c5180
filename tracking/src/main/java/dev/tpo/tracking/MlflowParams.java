package dev.tpo.tracking;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * A JSON document (a run spec) as MLflow parameters: nested objects become dotted keys ({@code dpo.beta}), arrays
 * and scalars their JSON text, nulls are left out (MLflow has no null). A value past MLflow's 6000-character limit
 * is logged as its SHA-256, never cut silently: the whole document goes beside the run as an artifact.
 */
public final class MlflowParams {
    static final int MAX_VALUE = 6000;
    static final int MAX_KEY = 250;

    private MlflowParams() {}

    public static Map<String, String> flatten(JsonNode document) {
        Map<String, String> out = new TreeMap<>();
        flatten("", document, out);
        return out;
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> out) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), out);
            }
            return;
        }
        if (node.isNull() || node.isMissingNode()) {
            return;
        }
        if (prefix.length() > MAX_KEY) {
            throw new IllegalArgumentException("parameter name longer than MLflow's " + MAX_KEY + " characters: "
                    + prefix.substring(0, 60) + "...");
        }
        String value = node.isTextual() ? node.asText() : node.toString();
        out.put(
                prefix,
                value.length() <= MAX_VALUE
                        ? value
                        : "sha256:" + sha256(value) + " (" + value.length() + " characters; see the spec artifact)");
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
