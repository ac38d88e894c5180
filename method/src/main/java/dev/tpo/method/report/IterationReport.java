package dev.tpo.method.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.tpo.api.spec.ThoughtMode;
import dev.tpo.method.eval.EvalSummary;
import dev.tpo.method.pairs.PairStats;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Everything one iteration produced, as report.json (snake_case). Sections an iteration did not run are null and
 * left out of the JSON (e.g. iteration 0: only the seed's evaluation).
 *
 * @param trainingMetrics the trainer's final metrics by its own names (e.g. TRL's {@code loss},
 *                        {@code rewards/accuracies})
 * @param stepSeconds     wall-clock seconds per pipeline step
 * @param counts          other tallies by name (prompts, samples, tokens generated, ...)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record IterationReport(
        int iteration,
        ThoughtMode thoughtMode,
        PairStats pairStats,
        Map<String, Double> trainingMetrics,
        EvalSummary eval,
        Map<String, Double> stepSeconds,
        Map<String, Long> counts) {
    public IterationReport {
        Objects.requireNonNull(thoughtMode, "thought mode of iteration " + iteration);
        if (iteration < 0) {
            throw new IllegalArgumentException("iteration must be >= 0, got " + iteration);
        }
        trainingMetrics = sorted(trainingMetrics);
        stepSeconds = sorted(stepSeconds);
        counts = sorted(counts);
    }

    private static <V> Map<String, V> sorted(Map<String, V> map) {
        return map == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(map));
    }

    /** Seconds over all steps. */
    public double totalSeconds() {
        return stepSeconds.values().stream().mapToDouble(Double::doubleValue).sum();
    }
}
