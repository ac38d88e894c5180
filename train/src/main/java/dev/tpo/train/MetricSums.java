package dev.tpo.train;

import java.util.LinkedHashMap;
import java.util.Map;

/** Running sums of named per-example metrics, averaged when a logging step reports them. */
public final class MetricSums {
    private final Map<String, double[]> sums = new LinkedHashMap<>();

    /** Adds {@code value} as {@code weight} observations' worth (weight 1 for a per-example value). */
    public void add(String name, double value, double weight) {
        double[] s = sums.computeIfAbsent(name, k -> new double[2]);
        s[0] += value * weight;
        s[1] += weight;
    }

    public Map<String, Double> means() {
        Map<String, Double> out = new LinkedHashMap<>();
        sums.forEach((k, s) -> out.put(k, s[1] == 0 ? Double.NaN : s[0] / s[1]));
        return out;
    }

    public void clear() {
        sums.clear();
    }
}
