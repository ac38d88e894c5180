package dev.tpo.train;

import java.util.Locale;

/** TRL's {@code loss_type} values that this trainer implements. */
public enum DpoLossType {
    /** -log sigmoid(beta * logits), with label smoothing the conservative DPO of Mitchell (2023). */
    SIGMOID,
    /** (logits - 1/(2 beta))^2 on log-probs averaged over completion tokens (IPO, Azar et al. 2023, eq. 17). */
    IPO,
    /** relu(1 - beta * logits) (RSO, Liu et al. 2023). */
    HINGE;

    public static DpoLossType parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigException("loss_type", "'" + name + "': expected sigmoid, ipo or hinge");
        }
    }

    public String trlName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
