package dev.tpo.model;

/**
 * A model's next-token logits are NaN or infinite, so there is no distribution to sample (or argmax to take): its
 * weights have diverged or are corrupt. Deterministic: the same weights give the same logits on every attempt.
 */
public final class NonFiniteLogitsException extends InvalidModelException {
    private final int row;

    public NonFiniteLogitsException(int row, float maximum) {
        super("the model's logits for sample row " + row + " are not finite (maximum " + maximum + "): its weights "
                + "have diverged or are corrupt");
        this.row = row;
    }

    /** The first row (sample) whose logits are not finite. */
    public int row() {
        return row;
    }
}
