package dev.tpo.activities.policy;

import dev.tpo.api.spec.DpoSettings;
import dev.tpo.train.DpoConfig;
import dev.tpo.train.DpoLossType;
import dev.tpo.train.LrSchedulerType;
import dev.tpo.train.TrainingConfig;

/** The run spec's DPO settings (TRL names) as the trainer's config. */
public final class DpoConfigs {
    private static final int LOGGING_STEPS = 1;

    private DpoConfigs() {}

    public static DpoConfig of(DpoSettings s, long seed) {
        TrainingConfig d = TrainingConfig.defaults();
        TrainingConfig training = new TrainingConfig(
                s.learningRate(),
                s.perDeviceTrainBatchSize(),
                s.gradientAccumulationSteps(),
                s.numTrainEpochs(),
                0,
                s.warmupRatio(),
                0,
                LrSchedulerType.parse(s.lrSchedulerType()),
                s.weightDecay(),
                d.adamBeta1(),
                d.adamBeta2(),
                d.adamEpsilon(),
                s.maxGradNorm(),
                seed,
                LOGGING_STEPS,
                s.saveSteps());
        return new DpoConfig(s.beta(), DpoLossType.parse(s.lossType()), s.labelSmoothing(), training);
    }
}
