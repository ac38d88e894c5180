package dev.tpo.train;

/** TRL {@code SFTConfig}: completion-only cross-entropy with the shared optimiser, schedule and checkpoints. */
public record SftConfig(TrainingConfig training) {
    public SftConfig {
        if (training == null) {
            throw new InvalidConfigException("training", "missing");
        }
    }
}
