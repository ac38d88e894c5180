package dev.tpo.method.eval;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The policy against the baseline on an eval set. Rates and accuracies are percentages.
 *
 * @param score              the headline number: policy accuracy for {@link ScoreKind#ACCURACY}, else the win rate
 * @param winRate            (wins + ties / 2) / n
 * @param lcWinRate          length-controlled win rate ({@link LengthControlledWinRate}); null (written as null,
 *                           not left out) when no policy response was judged, e.g. every output malformed
 * @param perCategory        by category, sorted by name
 * @param meanThoughtChars   mean characters of the policy's thoughts (malformed outputs count whole)
 * @param meanResponseChars  mean characters of the policy's responses ("" for malformed)
 * @param meanBaselineResponseChars mean characters of the baseline's responses
 * @param malformedRate      percent of policy outputs without a response
 * @param referenced         items with a reference answer
 * @param policyAccuracy     over referenced items, null when none were checked
 * @param baselineAccuracy   the same for the baseline
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EvalSummary(
        int n,
        ScoreKind scoreKind,
        double score,
        double winRate,
        @JsonInclude(JsonInclude.Include.ALWAYS) Double lcWinRate,
        int wins,
        int ties,
        int losses,
        Map<String, CategoryResult> perCategory,
        double meanThoughtChars,
        double meanResponseChars,
        double meanBaselineResponseChars,
        double malformedRate,
        int referenced,
        Double policyAccuracy,
        Double baselineAccuracy) {
    public EvalSummary {
        perCategory = Collections.unmodifiableMap(new TreeMap<>(perCategory));
    }
}
