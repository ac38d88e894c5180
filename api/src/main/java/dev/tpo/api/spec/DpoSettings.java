package dev.tpo.api.spec;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;
import java.util.Set;

/**
 * DPO training of each iteration, named as in TRL's {@code DPOConfig}.
 *
 * @param beta                      default 0.1
 * @param lossType                  sigmoid (default), ipo or hinge
 * @param labelSmoothing            conservative DPO, sigmoid only (default 0)
 * @param learningRate              default 5e-7
 * @param numTrainEpochs            epochs over the iteration's pairs (default 1)
 * @param perDeviceTrainBatchSize   pairs per forward pass (default 8)
 * @param gradientAccumulationSteps micro-batches per optimiser step (default 1)
 * @param warmupRatio               default 0.1
 * @param lrSchedulerType           linear, cosine (default) or constant_with_warmup
 * @param weightDecay               default 0
 * @param maxGradNorm               default 1.0 (0 = no clipping)
 * @param saveSteps                 checkpoint every N optimiser steps, kept in the artifact store so a retried
 *                                  training activity resumes there (default 50)
 * @param loraR                     LoRA rank (PEFT's r); 0 (default) trains every weight, which suits small models
 * @param loraAlpha                 lora_alpha: the adapters' update is scaled by alpha / r (default 16)
 * @param loraDropout               lora_dropout on the adapters' input while training (default 0.05)
 * @param loraTargetModules         projections that get adapters (default q_proj, v_proj); the adapters are
 *                                  merged into the weights of the saved policy
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record DpoSettings(
        Double beta,
        String lossType,
        Double labelSmoothing,
        Double learningRate,
        Integer numTrainEpochs,
        Integer perDeviceTrainBatchSize,
        Integer gradientAccumulationSteps,
        Double warmupRatio,
        String lrSchedulerType,
        Double weightDecay,
        Double maxGradNorm,
        Integer saveSteps,
        Integer loraR,
        Double loraAlpha,
        Double loraDropout,
        List<String> loraTargetModules) {
    public static final Set<String> LOSS_TYPES = Set.of("sigmoid", "ipo", "hinge");
    public static final Set<String> SCHEDULERS = Set.of("linear", "cosine", "constant_with_warmup");
    public static final Set<String> LORA_MODULES =
            Set.of("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj");

    public DpoSettings {
        beta = beta == null ? 0.1 : beta;
        lossType = lossType == null ? "sigmoid" : lossType;
        labelSmoothing = labelSmoothing == null ? 0.0 : labelSmoothing;
        learningRate = learningRate == null ? 5e-7 : learningRate;
        numTrainEpochs = numTrainEpochs == null ? 1 : numTrainEpochs;
        perDeviceTrainBatchSize = perDeviceTrainBatchSize == null ? 8 : perDeviceTrainBatchSize;
        gradientAccumulationSteps = gradientAccumulationSteps == null ? 1 : gradientAccumulationSteps;
        warmupRatio = warmupRatio == null ? 0.1 : warmupRatio;
        lrSchedulerType = lrSchedulerType == null ? "cosine" : lrSchedulerType;
        weightDecay = weightDecay == null ? 0.0 : weightDecay;
        maxGradNorm = maxGradNorm == null ? 1.0 : maxGradNorm;
        saveSteps = saveSteps == null ? 50 : saveSteps;
        loraR = loraR == null ? 0 : loraR;
        loraAlpha = loraAlpha == null ? 16.0 : loraAlpha;
        loraDropout = loraDropout == null ? 0.05 : loraDropout;
        loraTargetModules = loraTargetModules == null ? List.of("q_proj", "v_proj") : List.copyOf(loraTargetModules);
    }

    public static DpoSettings defaults() {
        return new DpoSettings(
                null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    public boolean usesLora() {
        return loraR > 0;
    }

    void validate(SpecProblems p, String path) {
        p.positive(path + ".beta", beta);
        p.oneOf(path + ".loss_type", lossType, LOSS_TYPES);
        if (!(labelSmoothing >= 0 && labelSmoothing < 0.5)) {
            p.add(path + ".label_smoothing", labelSmoothing + " is not in [0, 0.5)");
        } else if (labelSmoothing > 0 && !lossType.equals("sigmoid")) {
            p.add(path + ".label_smoothing", "applies to loss_type sigmoid only");
        }
        p.positive(path + ".learning_rate", learningRate);
        p.range(path + ".num_train_epochs", numTrainEpochs, 1, 1000);
        p.range(path + ".per_device_train_batch_size", perDeviceTrainBatchSize, 1, 4096);
        p.range(path + ".gradient_accumulation_steps", gradientAccumulationSteps, 1, 4096);
        if (!(warmupRatio >= 0 && warmupRatio < 1)) {
            p.add(path + ".warmup_ratio", warmupRatio + " is not in [0, 1)");
        }
        p.oneOf(path + ".lr_scheduler_type", lrSchedulerType, SCHEDULERS);
        p.range(path + ".weight_decay", weightDecay, 0.0, 10.0);
        p.range(path + ".max_grad_norm", maxGradNorm, 0.0, 1e6);
        p.range(path + ".save_steps", saveSteps, 1, 1_000_000);
        p.range(path + ".lora_r", loraR, 0, 4096);
        if (usesLora()) {
            p.positive(path + ".lora_alpha", loraAlpha);
            if (!(loraDropout >= 0 && loraDropout < 1)) {
                p.add(path + ".lora_dropout", loraDropout + " is not in [0, 1)");
            }
            if (loraTargetModules.isEmpty()) {
                p.add(path + ".lora_target_modules", "is empty");
            }
            for (String m : loraTargetModules) {
                p.oneOf(path + ".lora_target_modules", m, LORA_MODULES);
            }
        }
    }
}
