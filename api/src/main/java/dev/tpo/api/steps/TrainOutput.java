package dev.tpo.api.steps;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.tpo.api.ArtifactRef;
import java.util.Map;

/**
 * @param model           the trained policy folder
 * @param resumedFromStep 0 for a fresh start, else the checkpoint step a retried attempt resumed from
 * @param metrics         the run's summary metrics, TRL names (loss, rewards/margins, rewards/accuracies, ...)
 * @param metricsLog      metrics.jsonl of every logging step
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record TrainOutput(
        ArtifactRef model,
        int steps,
        int resumedFromStep,
        Map<String, Double> metrics,
        ArtifactRef metricsLog,
        double seconds,
        boolean reused) {}
