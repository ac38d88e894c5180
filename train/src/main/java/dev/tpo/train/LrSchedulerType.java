package dev.tpo.train;

import java.util.Locale;

/** The learning-rate decay after warmup, named as transformers' {@code lr_scheduler_type}. */
public enum LrSchedulerType {
    LINEAR,
    COSINE,
    CONSTANT_WITH_WARMUP;

    public static LrSchedulerType parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigException(
                    "lr_scheduler_type", "'" + name + "': expected linear, cosine or constant_with_warmup");
        }
    }

    public String trlName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
