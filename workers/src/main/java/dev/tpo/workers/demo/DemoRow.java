package dev.tpo.workers.demo;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.tpo.api.steps.EvalResult;
import dev.tpo.api.steps.IterationSummary;
import java.util.Map;

/**
 * One line of the demo table: an arm's policy after an iteration (iteration 0 is the seed).
 *
 * @param evalScore               eval accuracy, percent
 * @param rewardMargin            DPO's rewards/margins (chosen minus rejected implicit reward) at the end of training
 * @param rewardAccuracy          DPO's rewards/accuracies at the end of training
 * @param meanThoughtChars        of the greedy eval outputs (malformed outputs count whole)
 * @param malformedRate           percent of the greedy eval outputs without a response
 * @param sampleMalformedRate     percent of the iteration's K samples per prompt without a response
 * @param generateTokensPerSecond sampled tokens per second of the generate step's compute time
 * @param trainTokensPerSecond    DPO training tokens per second (null when the iteration had no pairs)
 * @param stepSeconds             wall seconds per step of the iteration
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record DemoRow(
        int iteration,
        double evalScore,
        Double rewardMargin,
        Double rewardAccuracy,
        Integer pairs,
        double meanThoughtChars,
        double meanResponseChars,
        double malformedRate,
        Double sampleMalformedRate,
        Double generateTokensPerSecond,
        Double trainTokensPerSecond,
        Map<String, Double> perCategory,
        Map<String, Double> stepSeconds) {

    public static DemoRow seed(EvalResult eval) {
        return new DemoRow(
                0,
                eval.score(),
                null,
                null,
                null,
                eval.meanThoughtChars(),
                eval.meanResponseChars(),
                eval.malformedRate(),
                null,
                null,
                null,
                eval.perCategory(),
                Map.of());
    }

    public static DemoRow of(IterationSummary it) {
        EvalResult eval = it.eval();
        Double generateSeconds = it.computeSeconds().get("generate");
        Double tokensPerSecond =
                generateSeconds == null || generateSeconds <= 0 ? null : it.generatedTokens() / generateSeconds;
        return new DemoRow(
                it.iteration(),
                eval.score(),
                it.trainMetrics().get("rewards/margins"),
                it.trainMetrics().get("rewards/accuracies"),
                it.pairs().pairs(),
                eval.meanThoughtChars(),
                eval.meanResponseChars(),
                eval.malformedRate(),
                it.samples() == 0 ? null : 100.0 * it.malformedSamples() / it.samples(),
                tokensPerSecond,
                it.trainMetrics().get("train_tokens_per_second"),
                eval.perCategory(),
                it.stepSeconds());
    }
}
