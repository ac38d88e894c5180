package dev.tpo.method.thought;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * Which thought prompt wraps an instruction: the paper's two prompts, none (the direct response baseline) or a
 * template of the run's own. Written in JSON and run specs in lower case.
 */
public enum ThoughtMode {
    SPECIFIC, GENERIC, NONE, CUSTOM;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static ThoughtMode parse(String value) {
        if (value != null) {
            for (ThoughtMode mode : values()) {
                if (mode.wireName().equalsIgnoreCase(value.strip())) {
                    return mode;
                }
            }
        }
        throw new IllegalArgumentException("thought mode '" + value + "': expected specific, generic, none or custom");
    }
}
