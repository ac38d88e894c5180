package dev.tpo.cli;

import dev.tpo.train.LrSchedulerType;
import dev.tpo.train.TrainingConfig;
import picocli.CommandLine.Option;

/** Optimiser, schedule, batching and checkpoint flags, named after the TRL/transformers options people know. */
final class TrainingOptions {
    @Option(names = "--learning-rate", description = "default: 5e-7 for DPO, 2e-5 for SFT")
    Double learningRate;

    @Option(
            names = {"--per-device-train-batch-size", "--batch-size"},
            defaultValue = "8")
    int batchSize;

    @Option(names = "--gradient-accumulation-steps", defaultValue = "1")
    int accumulation;

    @Option(names = "--num-train-epochs", defaultValue = "1")
    int epochs;

    @Option(names = "--max-steps", defaultValue = "0", description = "0: run num-train-epochs")
    int maxSteps;

    @Option(names = "--warmup-ratio", defaultValue = "0.0")
    double warmupRatio;

    @Option(names = "--warmup-steps", defaultValue = "0")
    int warmupSteps;

    @Option(
            names = "--lr-scheduler-type",
            defaultValue = "linear",
            description = "linear, cosine or constant_with_warmup")
    String scheduler;

    @Option(names = "--weight-decay", defaultValue = "0.0")
    double weightDecay;

    @Option(names = "--adam-beta1", defaultValue = "0.9")
    double beta1;

    @Option(names = "--adam-beta2", defaultValue = "0.999")
    double beta2;

    @Option(names = "--adam-epsilon", defaultValue = "1e-8")
    double epsilon;

    @Option(names = "--max-grad-norm", defaultValue = "1.0")
    double maxGradNorm;

    @Option(names = "--seed", defaultValue = "42")
    long seed;

    @Option(names = "--logging-steps", defaultValue = "10")
    int loggingSteps;

    @Option(names = "--save-steps", defaultValue = "500", description = "0: checkpoint only at the end")
    int saveSteps;

    TrainingConfig toConfig(double defaultLearningRate) {
        return new TrainingConfig(
                learningRate == null ? defaultLearningRate : learningRate,
                batchSize,
                accumulation,
                epochs,
                maxSteps,
                warmupRatio,
                warmupSteps,
                LrSchedulerType.parse(scheduler),
                weightDecay,
                beta1,
                beta2,
                epsilon,
                maxGradNorm,
                seed,
                loggingSteps,
                saveSteps);
    }
}
