package dev.tpo.workflows;

import java.util.Map;

/** Where an iteration is, as it tells its run. */
public record StepProgress(int iteration, String step, int shardsDone, int shardsTotal, Map<String, Double> metrics) {
}
