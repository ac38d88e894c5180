package dev.tpo.api.steps;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.tpo.api.ArtifactRef;

/**
 * @param judgements per-prompt verdicts with the judge's raw output
 * @param summary    the full evaluation summary as JSON, with the AlpacaEval and Arena-Hard exports beside it
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record EvalOutput(ArtifactRef judgements, ArtifactRef summary, EvalResult result, double seconds) {}
