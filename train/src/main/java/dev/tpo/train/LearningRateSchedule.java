package dev.tpo.train;

/**
 * Linear warmup from 0, then linear decay to 0, half-cosine decay to 0 or a constant, exactly as transformers'
 * {@code get_linear_schedule_with_warmup}, {@code get_cosine_schedule_with_warmup} (num_cycles 0.5) and
 * {@code get_constant_schedule_with_warmup} compute the multiplier of the peak rate.
 */
public record LearningRateSchedule(double peak, LrSchedulerType type, int warmupSteps, int totalSteps) {

    /** HF's rule: warmup_steps if positive, else ceil(warmup_ratio * total). */
    public static LearningRateSchedule of(TrainingConfig config, int totalSteps) {
        int warmup =
                config.warmupSteps() > 0 ? config.warmupSteps() : (int) Math.ceil(config.warmupRatio() * totalSteps);
        return new LearningRateSchedule(config.learningRate(), config.lrSchedulerType(), warmup, totalSteps);
    }

    /** The rate used by the optimiser step that follows {@code step} completed steps (0-based). */
    public double at(int step) {
        if (step < warmupSteps) {
            return peak * step / Math.max(1.0, warmupSteps);
        }
        double progress = (double) (step - warmupSteps) / Math.max(1, totalSteps - warmupSteps);
        return peak
                * switch (type) {
                    case LINEAR -> Math.max(0.0, (double) (totalSteps - step) / Math.max(1, totalSteps - warmupSteps));
                    case COSINE -> Math.max(0.0, 0.5 * (1.0 + Math.cos(Math.PI * progress)));
                    case CONSTANT_WITH_WARMUP -> 1.0;
                };
    }
}
