package dev.tpo.method.judge;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** The result of comparing response A (the policy's) with response B (the baseline's), from A's side. */
public enum Verdict {
    WIN,
    TIE,
    LOSS;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** AlpacaEval's convention: a win counts 1, a tie 1/2. */
    public double points() {
        return switch (this) {
            case WIN -> 1.0;
            case TIE -> 0.5;
            case LOSS -> 0.0;
        };
    }
}
