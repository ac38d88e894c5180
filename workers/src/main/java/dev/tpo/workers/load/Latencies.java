package dev.tpo.workers.load;

import java.time.Duration;
import java.util.List;

/**
 * A set of measured durations, summarised by nearest-rank percentiles (no interpolation: every figure is one that
 * was measured).
 */
public record Latencies(int count, double p50Ms, double p95Ms, double maxMs) {
    public static Latencies of(List<Duration> durations) {
        if (durations.isEmpty()) {
            throw new IllegalArgumentException("no durations to summarise");
        }
        double[] ms =
                durations.stream().mapToDouble(d -> d.toNanos() / 1e6).sorted().toArray();
        return new Latencies(ms.length, rank(ms, 0.50), rank(ms, 0.95), ms[ms.length - 1]);
    }

    private static double rank(double[] sorted, double p) {
        return sorted[Math.max(0, (int) Math.ceil(p * sorted.length) - 1)];
    }
}
