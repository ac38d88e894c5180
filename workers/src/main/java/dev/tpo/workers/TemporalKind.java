package dev.tpo.workers;

import java.util.Locale;

/** Which Temporal server a local stack runs. */
public enum TemporalKind {
    /** Temporal's Java test server in this JVM: history in memory, no Web UI, no visibility queries. */
    TEST,
    /** The official Temporal dev server (the Temporal CLI's {@code server start-dev}): SQLite history, Web UI. */
    REAL;

    /** Parses a command-line value: {@code test} or {@code real}. */
    public static TemporalKind named(String name) {
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "test" -> TEST;
            case "real" -> REAL;
            default -> throw new IllegalArgumentException("--temporal: '" + name + "' is not real or test");
        };
    }
}
