package dev.tpo.api.spec;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The SHA-256 of a run spec as it was submitted (its compact JSON text), so an audit can tie a run to the exact
 * document that started it. Pure computation: safe in workflow code.
 */
public final class SpecDigest {
    private SpecDigest() {}

    public static String of(JsonNode spec) {
        try {
            byte[] text = spec.toString().getBytes(StandardCharsets.UTF_8);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
