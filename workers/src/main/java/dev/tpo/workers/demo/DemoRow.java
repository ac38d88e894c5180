package dev.tpo.workers.demo;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.tpo.api.steps.EvalResult;
import dev.tpo.api.steps.IterationSummary;
import java.util.Map;

/**
 * One line of the demo table: an arm's policy after an iteration (iteration 0 is the seed).
 *
 * @param evalScore       eval accuracy, percent
 * @param rewardMargin    DPO's rewards/margins (chosen minus rejected implicit reward) at the end of training
 * @param rewardAccuracy  DPO's rewards/accuracies at the end of training
 * @param stepSeconds     wall seconds per step of the iteration
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record DemoRow(int iteration, double evalScore, Double rewardMargin, Double rewardAccuracy, Integer pairs,
                      double meanThoughtChars, double meanResponseChars, double malformedRate,
                      Map<String, Double> perCategory, Map<String, Double> stepSeconds) {

    public static DemoRow seed(EvalResult eval) {
        return new DemoRow(0, eval.score(), null, null, null, eval.meanThoughtChars(), eval.meanResponseChars(),
                eval.malformedRate(), eval.perCategory(), Map.of());
    }

    public static DemoRow of(IterationSummary it) {
        EvalResult eval = it.eval();
        return new DemoRow(it.iteration(), eval.score(), it.trainMetrics().get("rewards/margins"),
                it.trainMetrics().get("rewards/accuracies"), it.pairs().pairs(), eval.meanThoughtChars(),
                eval.meanResponseChars(), eval.malformedRate(), eval.perCategory(), it.stepSeconds());
    }
}
