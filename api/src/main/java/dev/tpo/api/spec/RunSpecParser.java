package dev.tpo.api.spec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Reads and validates a run spec. Pure and deterministic (no I/O, no clock), so the workflow runs exactly this
 * check as its first step and {@code tpo validate} runs it without a server.
 */
public final class RunSpecParser {
    private final ObjectMapper mapper = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            // Enum fields (thought.mode, judge.type, judge.verifier_mode) take their wire names only, never an index.
            .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    /** The spec with its defaults filled in, or an {@link InvalidRunSpecException} naming every problem. */
    public RunSpec parse(String json) {
        try {
            return parse(mapper.readTree(json));
        } catch (JsonProcessingException e) {
            if (e instanceof JsonMappingException) {
                throw new InvalidRunSpecException(List.of(describe((JsonMappingException) e)));
            }
            throw new InvalidRunSpecException(List.of("not valid JSON: " + e.getOriginalMessage() + location(e)));
        }
    }

    public RunSpec parse(JsonNode json) {
        if (json == null || !json.isObject()) {
            throw new InvalidRunSpecException(List.of("the run spec must be a JSON object"));
        }
        RunSpec spec;
        try {
            spec = mapper.treeToValue(json, RunSpec.class);
        } catch (JsonMappingException e) {
            throw new InvalidRunSpecException(List.of(describe(e)));
        } catch (JsonProcessingException e) {
            throw new InvalidRunSpecException(List.of(e.getOriginalMessage()));
        }
        SpecProblems problems = spec.problems();
        if (!problems.isEmpty()) {
            throw new InvalidRunSpecException(problems.list());
        }
        return spec;
    }

    /** The spec as the user-facing JSON document, defaults included (what {@code tpo validate} prints). */
    public String toJson(RunSpec spec) {
        try {
            return mapper.writeValueAsString(spec);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a run spec always serialises", e);
        }
    }

    private String describe(JsonMappingException e) {
        String field = e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining("."))
                .replace(".[", "[");
        if (e instanceof UnrecognizedPropertyException u) {
            String known = u.getKnownPropertyIds() == null
                    ? ""
                    : u.getKnownPropertyIds().stream()
                            .map(Object::toString)
                            .sorted()
                            .collect(Collectors.joining(", "));
            return field + ": unknown field" + (known.isEmpty() ? "" : " (known here: " + known + ")");
        }
        if (e instanceof InvalidFormatException f) {
            return field + ": '" + f.getValue() + "' is not " + typeName(f.getTargetType());
        }
        if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
            return field + ": expected " + typeName(m.getTargetType());
        }
        return (field.isEmpty() ? "" : field + ": ") + e.getOriginalMessage();
    }

    private String typeName(Class<?> type) {
        if (type == Integer.class || type == Long.class || type == int.class || type == long.class) {
            return "an integer";
        }
        if (type == Double.class || type == double.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a string";
        }
        if (type.isEnum()) {
            // The values as JSON spells them (@JsonValue), sorted, as SpecProblems.oneOf lists allowed values.
            return "one of "
                    + Arrays.stream(type.getEnumConstants())
                            .map(c -> mapper.convertValue(c, String.class))
                            .sorted()
                            .collect(Collectors.joining(", "));
        }
        return "an object";
    }

    private static String location(JsonProcessingException e) {
        return e.getLocation() == null
                ? ""
                : " (line " + e.getLocation().getLineNr() + ", column "
                        + e.getLocation().getColumnNr() + ")";
    }
}
