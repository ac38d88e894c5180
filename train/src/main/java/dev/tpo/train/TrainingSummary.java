package dev.tpo.train;

import java.nio.file.Path;
import java.util.Map;

/**
 * The end of a run: steps taken, whether it stopped early, the final model folder (null when stopped early) and
 * the metrics averaged over the whole run (train_loss, train_runtime, train_tokens_per_second, ...).
 */
public record TrainingSummary(
        int globalStep,
        int totalSteps,
        boolean stoppedEarly,
        Path modelDir,
        Path lastCheckpoint,
        Map<String, Double> metrics) {}
