package dev.tpo.api.steps;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.tpo.api.ArtifactRef;
import java.util.Map;

/**
 * What one iteration did, as the run's result and the progress query show it.
 *
 * @param policy          the iteration's trained policy
 * @param generatedTokens tokens the generate step sampled, over all shards (thoughts included)
 * @param stepSeconds     wall time per step, from workflow time (queueing and retries included)
 * @param computeSeconds  time the activities spent working, summed over shards
 * @param artifacts       the files behind the numbers (pairs, training log, eval answers and verdicts)
 * @param finishedAtMillis workflow time the iteration finished (before its report)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record IterationSummary(
        int iteration,
        String thoughtMode,
        ArtifactRef policy,
        int prompts,
        int samples,
        int malformedSamples,
        long generatedTokens,
        PairSummary pairs,
        Map<String, Double> trainMetrics,
        int trainResumedFromStep,
        EvalResult eval,
        Map<String, Double> stepSeconds,
        Map<String, Double> computeSeconds,
        IterationArtifacts artifacts,
        long finishedAtMillis,
        ArtifactRef report) {
    public IterationSummary withReport(ArtifactRef reportRef) {
        return new IterationSummary(
                iteration,
                thoughtMode,
                policy,
                prompts,
                samples,
                malformedSamples,
                generatedTokens,
                pairs,
                trainMetrics,
                trainResumedFromStep,
                eval,
                stepSeconds,
                computeSeconds,
                artifacts,
                finishedAtMillis,
                reportRef);
    }
}
