package dev.tpo.workflows;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.Map;

/** Where an iteration is, as it tells its run. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record StepProgress(int iteration, String step, int shardsDone, int shardsTotal, Map<String, Double> metrics) {}
