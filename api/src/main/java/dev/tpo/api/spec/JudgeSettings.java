package dev.tpo.api.spec;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * The judge that scores responses (never thoughts).
 *
 * @param type          verifier (default: needs a reference answer per prompt), reward_model (a
 *                      LlamaForSequenceClassification folder in {@code model}), pairwise_llm (Self-Taught-Evaluator
 *                      style, both orders, Bradley-Terry scores; a local judge model folder in {@code model} or an
 *                      {@code endpoint}) or pointwise_llm (an {@code endpoint} and a {@code rubric})
 * @param model         reward_model / local pairwise_llm: the judge model folder URI, ending with '/'
 * @param endpoint      pairwise_llm / pointwise_llm over an OpenAI-compatible endpoint
 * @param rubric        pointwise_llm: what a good response is (default: a generic helpfulness rubric)
 * @param verifierMode  verifier: exact, normalised (default), numeric or regex
 * @param verifierRegex verifier with mode regex: the pattern whose first group is the answer
 * @param maxNewTokens  LLM judges: tokens for the judge's reasoning and verdict (default 512)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record JudgeSettings(
        JudgeType type,
        String model,
        JudgeEndpoint endpoint,
        String rubric,
        VerifierMode verifierMode,
        String verifierRegex,
        Integer maxNewTokens) {
    public JudgeSettings {
        type = type == null ? JudgeType.VERIFIER : type;
        verifierMode = verifierMode == null ? VerifierMode.NORMALISED : verifierMode;
        maxNewTokens = maxNewTokens == null ? 512 : maxNewTokens;
    }

    public static JudgeSettings defaults() {
        return new JudgeSettings(null, null, null, null, null, null, null);
    }

    /** Whether the judge runs a model on this pipeline's workers (so its activity belongs on the GPU queue). */
    public boolean needsLocalModel() {
        return model != null
                && switch (type) {
                    case REWARD_MODEL, PAIRWISE_LLM -> true;
                    case VERIFIER, POINTWISE_LLM -> false;
                };
    }

    void validate(SpecProblems p, String path) {
        // type and verifier_mode are enums: a value outside them is rejected while the spec is read, naming the
        // field and the allowed values (RunSpecParser).
        switch (type) {
            case VERIFIER -> {
                if (verifierMode == VerifierMode.REGEX && (verifierRegex == null || verifierRegex.isBlank())) {
                    p.add(path + ".verifier_regex", "is required with verifier_mode regex");
                }
                noModelOrEndpoint(p, path);
            }
            case REWARD_MODEL -> {
                p.folderUri(path + ".model", model);
                if (endpoint != null) {
                    p.add(path + ".endpoint", "a reward_model judge runs locally; remove the endpoint");
                }
            }
            case PAIRWISE_LLM -> {
                if ((model == null) == (endpoint == null)) {
                    p.add(path, "a pairwise_llm judge needs exactly one of model (local) or endpoint");
                } else if (model != null) {
                    p.folderUri(path + ".model", model);
                } else {
                    endpoint.validate(p, path + ".endpoint");
                }
            }
            case POINTWISE_LLM -> {
                if (endpoint == null) {
                    p.add(path + ".endpoint", "is required for a pointwise_llm judge");
                } else {
                    endpoint.validate(p, path + ".endpoint");
                }
                if (model != null) {
                    p.add(path + ".model", "a pointwise_llm judge runs on an endpoint; remove model");
                }
            }
        }
        p.range(path + ".max_new_tokens", maxNewTokens, 1, 32_768);
    }

    private void noModelOrEndpoint(SpecProblems p, String path) {
        if (model != null) {
            p.add(path + ".model", "a verifier judge takes no model");
        }
        if (endpoint != null) {
            p.add(path + ".endpoint", "a verifier judge takes no endpoint");
        }
    }
}
