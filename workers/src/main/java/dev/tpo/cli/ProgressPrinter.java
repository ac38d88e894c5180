package dev.tpo.cli;

import dev.tpo.train.TrainingListener;
import dev.tpo.train.TrainingProgress;
import java.nio.file.Path;
import java.util.Map;

/** Prints training progress on stderr: step, loss, tokens/s and ETA, then each logged metric line. */
final class ProgressPrinter implements TrainingListener {
    @Override
    public void onStep(TrainingProgress p) {
        long eta = p.eta().toSeconds();
        System.err.printf("step %d/%d  epoch %.2f  loss %.4f  %.0f tokens/s  eta %d:%02d%n", p.step(),
                p.totalSteps(), p.epoch(), p.loss(), p.tokensPerSecond(), eta / 60, eta % 60);
    }

    @Override
    public void onLog(Map<String, Double> metrics) {
        System.err.println("metrics " + metrics);
    }

    @Override
    public void onCheckpoint(Path checkpoint) {
        System.err.println("checkpoint " + checkpoint);
    }
}
