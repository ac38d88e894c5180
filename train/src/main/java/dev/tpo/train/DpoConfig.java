package dev.tpo.train;

/**
 * TRL {@code DPOConfig} options for the DPO objective; the optimiser and schedule options are in {@code training}.
 *
 * @param beta           beta: the KL penalty strength (also IPO's tau)
 * @param lossType       loss_type: sigmoid, ipo or hinge
 * @param labelSmoothing label_smoothing: the assumed label-noise rate of conservative DPO (sigmoid only)
 */
public record DpoConfig(double beta, DpoLossType lossType, double labelSmoothing, TrainingConfig training) {
    public static final double DEFAULT_BETA = 0.1;

    public DpoConfig {
        if (!(beta > 0) || Double.isInfinite(beta)) {
            throw new InvalidConfigException("beta", beta + " must be a positive finite number");
        }
        if (lossType == null) {
            throw new InvalidConfigException("loss_type", "missing");
        }
        if (!(labelSmoothing >= 0 && labelSmoothing < 0.5)) {
            throw new InvalidConfigException("label_smoothing", labelSmoothing + " is not in [0, 0.5)");
        }
        if (labelSmoothing > 0 && lossType != DpoLossType.SIGMOID) {
            throw new InvalidConfigException(
                    "label_smoothing", "only applies to loss_type sigmoid, not " + lossType.trlName());
        }
        if (training == null) {
            throw new InvalidConfigException("training", "missing");
        }
    }

    public static DpoConfig defaults() {
        return new DpoConfig(DEFAULT_BETA, DpoLossType.SIGMOID, 0.0, TrainingConfig.defaults());
    }
}
