package dev.tpo.tracking;

/**
 * One metric value as MLflow stores it. MLflow keeps a value logged twice with the same key, step, timestamp and
 * value once, which is what makes a retried log call harmless when its timestamps are fixed by the caller.
 *
 * @param timestamp milliseconds since the epoch
 */
public record MlflowMetric(String key, double value, long timestamp, long step) {}
