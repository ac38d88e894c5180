package dev.tpo.api.steps;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.tpo.api.ArtifactRef;

/**
 * The files of one evaluation (and, for an iteration, its pairs and training log) that the run report and experiment
 * tracking read for curves and transcripts; by reference, like everything in history.
 *
 * @param pairs          pairs.jsonl (chosen and rejected text); null for the seed and when no pair was made
 * @param metricsLog     metrics.jsonl of DPO, one line per logging step; null when the iteration did not train
 * @param evalAnswers    the evaluated policy's answers (thought and response apart)
 * @param evalJudgements the judge's verdict per eval prompt
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record IterationArtifacts(
        ArtifactRef pairs, ArtifactRef metricsLog, ArtifactRef evalAnswers, ArtifactRef evalJudgements) {}
