package dev.tpo.train;

/**
 * Training reached a non-finite loss, or non-finite gradients on several steps in a row. Deterministic: a run
 * resumed from its last checkpoint with the same data and options diverges again, so it is not worth retrying; the
 * learning rate, data or seed model must change.
 */
public final class TrainingDivergedException extends RuntimeException {
    private final int step;

    public TrainingDivergedException(int step, String problem) {
        super("training diverged at step " + step + ": " + problem);
        this.step = step;
    }

    /** The 1-based optimiser step that diverged. */
    public int step() {
        return step;
    }
}
