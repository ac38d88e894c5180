package dev.tpo.method.judge;

/** The result of comparing response A (the policy's) with response B (the baseline's), from A's side. */
public enum Verdict {
    WIN, TIE, LOSS;

    /** AlpacaEval's convention: a win counts 1, a tie 1/2. */
    public double points() {
        return switch (this) {
            case WIN -> 1.0;
            case TIE -> 0.5;
            case LOSS -> 0.0;
        };
    }
}
