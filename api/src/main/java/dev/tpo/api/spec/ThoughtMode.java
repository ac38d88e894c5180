package dev.tpo.api.spec;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Which thought prompt wraps an instruction: the paper's two prompts, none (the direct response baseline) or a
 * template of the run's own. The run spec's {@code thought.mode} and the method's prompt both use this one enum;
 * JSON (run specs, history, reports) spells it in lower case.
 */
public enum ThoughtMode {
    SPECIFIC,
    GENERIC,
    NONE,
    CUSTOM;

    @JsonValue
    public String wireName() {
        return WireNames.of(this);
    }

    /** The wire name, so text built from a mode reads as the spec wrote it. */
    @Override
    public String toString() {
        return wireName();
    }

    /** A mode from its wire name, leniently (case and surrounding spaces ignored); run specs match exactly. */
    public static ThoughtMode parse(String value) {
        return WireNames.parse(ThoughtMode.class, value, "thought mode");
    }

    /** The wire names, sorted, comma-separated (as the spec parser lists them). */
    public static String allowed() {
        return WireNames.allowed(ThoughtMode.class);
    }
}
