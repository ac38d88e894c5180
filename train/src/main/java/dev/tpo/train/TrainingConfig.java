package dev.tpo.train;

/**
 * The optimiser, schedule, batching and checkpoint options shared by DPO and SFT, named as in transformers'
 * {@code TrainingArguments}.
 *
 * @param learningRate              learning_rate (peak, after warmup)
 * @param perDeviceTrainBatchSize   per_device_train_batch_size (examples per forward pass)
 * @param gradientAccumulationSteps gradient_accumulation_steps (micro-batches per optimiser step)
 * @param numTrainEpochs            num_train_epochs (used when maxSteps is 0)
 * @param maxSteps                  max_steps (0 = derive from num_train_epochs)
 * @param warmupRatio               warmup_ratio (fraction of total steps, used when warmupSteps is 0)
 * @param warmupSteps               warmup_steps (overrides warmup_ratio when positive)
 * @param lrSchedulerType           lr_scheduler_type
 * @param weightDecay               weight_decay (decoupled, not applied to biases and norms)
 * @param adamBeta1                 adam_beta1
 * @param adamBeta2                 adam_beta2
 * @param adamEpsilon               adam_epsilon
 * @param maxGradNorm               max_grad_norm (0 = no clipping)
 * @param seed                      seed (data order)
 * @param loggingSteps              logging_steps
 * @param saveSteps                 save_steps (0 = only at the end)
 */
public record TrainingConfig(
        double learningRate,
        int perDeviceTrainBatchSize,
        int gradientAccumulationSteps,
        int numTrainEpochs,
        int maxSteps,
        double warmupRatio,
        int warmupSteps,
        LrSchedulerType lrSchedulerType,
        double weightDecay,
        double adamBeta1,
        double adamBeta2,
        double adamEpsilon,
        double maxGradNorm,
        long seed,
        int loggingSteps,
        int saveSteps) {

    public TrainingConfig {
        positive("learning_rate", learningRate);
        atLeast("per_device_train_batch_size", perDeviceTrainBatchSize, 1);
        atLeast("gradient_accumulation_steps", gradientAccumulationSteps, 1);
        atLeast("num_train_epochs", numTrainEpochs, 1);
        atLeast("max_steps", maxSteps, 0);
        if (!(warmupRatio >= 0 && warmupRatio <= 1)) {
            throw new InvalidConfigException("warmup_ratio", warmupRatio + " is not in [0, 1]");
        }
        atLeast("warmup_steps", warmupSteps, 0);
        if (lrSchedulerType == null) {
            throw new InvalidConfigException("lr_scheduler_type", "missing");
        }
        if (!(weightDecay >= 0)) {
            throw new InvalidConfigException("weight_decay", weightDecay + " is negative");
        }
        unitInterval("adam_beta1", adamBeta1);
        unitInterval("adam_beta2", adamBeta2);
        positive("adam_epsilon", adamEpsilon);
        if (!(maxGradNorm >= 0)) {
            throw new InvalidConfigException("max_grad_norm", maxGradNorm + " is negative");
        }
        atLeast("logging_steps", loggingSteps, 1);
        atLeast("save_steps", saveSteps, 0);
    }

    /** transformers' defaults, except the learning rate DPO usually wants. */
    public static TrainingConfig defaults() {
        return new TrainingConfig(
                5e-7, 8, 1, 1, 0, 0.0, 0, LrSchedulerType.LINEAR, 0.0, 0.9, 0.999, 1e-8, 1.0, 42, 10, 500);
    }

    public int effectiveBatchSize() {
        return perDeviceTrainBatchSize * gradientAccumulationSteps;
    }

    public TrainingConfig withBatching(int batchSize, int accumulation) {
        return new TrainingConfig(
                learningRate,
                batchSize,
                accumulation,
                numTrainEpochs,
                maxSteps,
                warmupRatio,
                warmupSteps,
                lrSchedulerType,
                weightDecay,
                adamBeta1,
                adamBeta2,
                adamEpsilon,
                maxGradNorm,
                seed,
                loggingSteps,
                saveSteps);
    }

    public TrainingConfig withSteps(int epochs, int steps, int warmup) {
        return new TrainingConfig(
                learningRate,
                perDeviceTrainBatchSize,
                gradientAccumulationSteps,
                epochs,
                steps,
                warmupRatio,
                warmup,
                lrSchedulerType,
                weightDecay,
                adamBeta1,
                adamBeta2,
                adamEpsilon,
                maxGradNorm,
                seed,
                loggingSteps,
                saveSteps);
    }

    private static void positive(String field, double v) {
        if (!(v > 0) || Double.isInfinite(v)) {
            throw new InvalidConfigException(field, v + " must be a positive finite number");
        }
    }

    private static void atLeast(String field, int v, int min) {
        if (v < min) {
            throw new InvalidConfigException(field, v + " must be at least " + min);
        }
    }

    private static void unitInterval(String field, double v) {
        if (!(v >= 0 && v < 1)) {
            throw new InvalidConfigException(field, v + " is not in [0, 1)");
        }
    }
}
