package dev.tpo.api.spec;

import com.fasterxml.jackson.annotation.JsonValue;

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
        return WireNames.of(this);
    }

    /** The wire name, so text built from a mode reads as the spec wrote it. */
    @Override
    public String toString() {
        return wireName();
    }

    /** A mode from its wire name, leniently (case and surrounding spaces ignored); run specs match exactly. */
    public static VerifierMode parse(String value) {
        return WireNames.parse(VerifierMode.class, value, "verifier mode");
    }

    /** The wire names, sorted, comma-separated (as the spec parser lists them). */
    public static String allowed() {
        return WireNames.allowed(VerifierMode.class);
    }
}
