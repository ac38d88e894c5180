package dev.tpo.train;

import java.nio.file.Path;
import java.util.Map;

/** Hooks for a CLI or workflow: progress, logged metrics, checkpoints, and a way to stop between steps. */
public interface TrainingListener {
    TrainingListener NONE = new TrainingListener() {};

    default void onStep(TrainingProgress progress) {}

    default void onLog(Map<String, Double> metrics) {}

    default void onCheckpoint(Path checkpoint) {}

    /** Checked after every step; true ends the run there, with a checkpoint of that step. */
    default boolean stopRequested() {
        return false;
    }
}
