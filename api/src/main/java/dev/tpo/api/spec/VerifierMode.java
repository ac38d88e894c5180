package dev.tpo.api.spec;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How a verifier judge compares a response's answer with the reference answer: the run spec's
 * {@code judge.verifier_mode} and the method's verifier both use this one enum, in lower case on the wire.
 */
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

    /** The wire name, so text built from a mode reads as the spec wrote it. */
    @Override
    public String toString() {
        return wireName();
    }

    /** A mode from its wire name, leniently (case and surrounding spaces ignored); run specs match exactly. */
    public static VerifierMode parse(String value) {
        if (value != null) {
            for (VerifierMode mode : values()) {
                if (mode.wireName().equalsIgnoreCase(value.strip())) {
                    return mode;
                }
            }
        }
        throw new IllegalArgumentException("verifier mode '" + value + "' is not one of " + allowed());
    }

    /** The wire names, sorted, comma-separated (as the spec parser lists them). */
    public static String allowed() {
        return Arrays.stream(values()).map(VerifierMode::wireName).sorted().collect(Collectors.joining(", "));
    }
}
