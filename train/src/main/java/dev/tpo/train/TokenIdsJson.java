package dev.tpo.train;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import java.io.IOException;

/**
 * Token ids in JSON: an array of non-negative integers, nothing coerced (no strings, fractions or nulls). A bad
 * value fails naming the field and the index.
 */
final class TokenIdsJson extends StdDeserializer<int[]> {
    TokenIdsJson() {
        super(int[].class);
    }

    @Override
    public int[] deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
        String field = p.currentName();
        JsonNode a = ctxt.readTree(p);
        if (!a.isArray()) {
            throw new Invalid(p, "'" + field + "' must be an array of token ids");
        }
        int[] out = new int[a.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode v = a.get(i);
            if (!v.canConvertToInt() || !v.isIntegralNumber() || v.asInt() < 0) {
                throw new Invalid(p, "'" + field + "'[" + i + "] = " + v + " is not a non-negative integer token id");
            }
            out[i] = v.asInt();
        }
        return out;
    }

    /** Bad token ids; the message names the field (and the index). */
    static final class Invalid extends MismatchedInputException {
        Invalid(JsonParser p, String message) {
            super(p, message, int[].class);
        }
    }
}
