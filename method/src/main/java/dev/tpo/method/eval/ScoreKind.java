package dev.tpo.method.eval;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What an evaluation's headline score is: the policy's accuracy (verifier sets) or its win rate. */
public enum ScoreKind {
    ACCURACY,
    WIN_RATE;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
