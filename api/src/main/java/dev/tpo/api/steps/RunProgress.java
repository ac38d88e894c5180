package dev.tpo.api.steps;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;
import java.util.Map;

/**
 * The answer of the run workflow's {@code progress} query.
 *
 * @param status         running, paused, stopping (will stop after this iteration), completed, stopped or failed
 * @param step           the current step (validate, prepare, baseline, select, generate, judge, pair, reference,
 *                       train, evaluate, report)
 * @param latestMetrics  the newest numbers: pair statistics, training summary, evaluation score
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record RunProgress(
        String status,
        int iteration,
        int iterations,
        String step,
        int shardsDone,
        int shardsTotal,
        Map<String, Double> latestMetrics,
        EvalResult seedEval,
        List<IterationSummary> finished) {}
