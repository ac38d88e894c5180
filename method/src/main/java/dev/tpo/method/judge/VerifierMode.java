package dev.tpo.method.judge;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** How a verifier judge compares a response's answer with the reference answer. */
public enum VerifierMode {
    /** The answer equals the reference once leading and trailing whitespace is removed. */
    EXACT,
    /** Equal after normalising: Unicode NFKC, lower case, punctuation and the articles a/an/the removed, spaces collapsed. */
    NORMALISED,
    /** Both parse as numbers (thousands separators allowed) that agree to a relative 1e-6. */
    NUMERIC,
    /** The reference is a Java regular expression that must be found somewhere in the response. */
    REGEX;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static VerifierMode parse(String value) {
        if (value != null) {
            for (VerifierMode mode : values()) {
                if (mode.wireName().equalsIgnoreCase(value.strip())) {
                    return mode;
                }
            }
        }
        throw new IllegalArgumentException("verifier mode '" + value + "': expected exact, normalised, numeric or regex");
    }
}
