package dev.tpo.method.eval;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.tpo.method.judge.Verdict;
import java.util.List;

/**
 * The evaluation of one prompt, for eval.jsonl.
 *
 * @param policyCorrect   against the reference, or null when the item has none (or accuracy is not measured)
 * @param baselineCorrect the same for the baseline
 * @param details         the judge's raw outputs, or why the item was decided without the judge
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EvalJudgement(
        String promptId,
        String category,
        Verdict verdict,
        Boolean policyCorrect,
        Boolean baselineCorrect,
        int policyResponseChars,
        int baselineResponseChars,
        List<String> details) {}
