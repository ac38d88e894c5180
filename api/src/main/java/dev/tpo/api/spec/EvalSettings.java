package dev.tpo.api.spec;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * Evaluation after each iteration: the policy answers the held-out prompts (thoughts stripped) and the judge
 * compares its responses with the baseline's.
 *
 * @param baseline     "seed" (default: the seed policy answering directly, without a thought prompt), "none" (no
 *                     win rates: scores only, e.g. verifier accuracy) or a model folder URI ending with '/'
 * @param maxPrompts   evaluate on the first N eval prompts (default 0 = all)
 * @param temperature  0 = greedy (default)
 * @param maxNewTokens default 1024
 * @param evaluateSeed also evaluate the seed policy under the run's thought mode, beside iteration 1 (default true),
 *                     so every iteration can be read against it
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record EvalSettings(
        String baseline, Integer maxPrompts, Double temperature, Integer maxNewTokens, Boolean evaluateSeed) {
    public EvalSettings {
        baseline = baseline == null ? BaselineKind.SEED.keyword() : baseline;
        maxPrompts = maxPrompts == null ? 0 : maxPrompts;
        temperature = temperature == null ? 0.0 : temperature;
        maxNewTokens = maxNewTokens == null ? 1024 : maxNewTokens;
        evaluateSeed = evaluateSeed == null || evaluateSeed;
    }

    public static EvalSettings defaults() {
        return new EvalSettings(null, null, null, null, null);
    }

    /** What the baseline value names: the seed, none, or a model folder. */
    public BaselineKind baselineKind() {
        return BaselineKind.of(baseline);
    }

    public boolean hasBaseline() {
        return baselineKind() != BaselineKind.NONE;
    }

    void validate(SpecProblems p, String path) {
        if (baselineKind() == BaselineKind.MODEL) {
            p.folderUri(path + ".baseline", baseline);
        }
        p.range(path + ".max_prompts", maxPrompts, 0, 10_000_000);
        p.range(path + ".temperature", temperature, 0.0, 5.0);
        p.range(path + ".max_new_tokens", maxNewTokens, 1, 65_536);
    }
}
