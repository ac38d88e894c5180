package dev.tpo.api.spec;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.Set;

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
public record JudgeSettings(String type, String model, JudgeEndpoint endpoint, String rubric, String verifierMode,
                            String verifierRegex, Integer maxNewTokens) {
    public static final Set<String> TYPES = Set.of("verifier", "reward_model", "pairwise_llm", "pointwise_llm");
    public static final Set<String> VERIFIER_MODES = Set.of("exact", "normalised", "numeric", "regex");

    public JudgeSettings {
        type = type == null ? "verifier" : type;
        verifierMode = verifierMode == null ? "normalised" : verifierMode;
        maxNewTokens = maxNewTokens == null ? 512 : maxNewTokens;
    }

    public static JudgeSettings defaults() {
        return new JudgeSettings(null, null, null, null, null, null, null);
    }

    /** Whether the judge runs a model on this pipeline's workers (so its activity belongs on the GPU queue). */
    public boolean needsLocalModel() {
        return model != null && (type.equals("reward_model") || type.equals("pairwise_llm"));
    }

    void validate(SpecProblems p, String path) {
        p.oneOf(path + ".type", type, TYPES);
        switch (type) {
            case "verifier" -> {
                p.oneOf(path + ".verifier_mode", verifierMode, VERIFIER_MODES);
                if (verifierMode.equals("regex") && (verifierRegex == null || verifierRegex.isBlank())) {
                    p.add(path + ".verifier_regex", "is required with verifier_mode regex");
                }
                noModelOrEndpoint(p, path);
            }
            case "reward_model" -> {
                p.folderUri(path + ".model", model);
                if (endpoint != null) {
                    p.add(path + ".endpoint", "a reward_model judge runs locally; remove the endpoint");
                }
            }
            case "pairwise_llm" -> {
                if ((model == null) == (endpoint == null)) {
                    p.add(path, "a pairwise_llm judge needs exactly one of model (local) or endpoint");
                } else if (model != null) {
                    p.folderUri(path + ".model", model);
                } else {
                    endpoint.validate(p, path + ".endpoint");
                }
            }
            case "pointwise_llm" -> {
                if (endpoint == null) {
                    p.add(path + ".endpoint", "is required for a pointwise_llm judge");
                } else {
                    endpoint.validate(p, path + ".endpoint");
                }
                if (model != null) {
                    p.add(path + ".model", "a pointwise_llm judge runs on an endpoint; remove model");
                }
            }
            default -> { }
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
