package dev.tpo.activities.judging;

import dev.tpo.activities.StepFailures;
import dev.tpo.activities.storage.ModelCache;
import dev.tpo.api.ArtifactRef;
import dev.tpo.api.spec.ComputeSettings;
import dev.tpo.api.spec.JudgeEndpoint;
import dev.tpo.api.spec.JudgeSettings;
import dev.tpo.api.spec.VerifierMode;
import dev.tpo.method.judge.EndpointSettings;
import dev.tpo.method.judge.LocalModelBackend;
import dev.tpo.method.judge.OpenAiChatBackend;
import dev.tpo.method.judge.PairwiseLlmJudge;
import dev.tpo.method.judge.PointwiseLlmJudge;
import dev.tpo.method.judge.PointwisePrompt;
import dev.tpo.method.judge.RewardModelJudge;
import dev.tpo.method.judge.VerifierJudge;
import dev.tpo.model.CausalLm;
import dev.tpo.model.Compute;
import dev.tpo.model.ModelFolder;
import dev.tpo.model.tokenizer.ModelTokenizer;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The judge a run's settings name. Verifier and endpoint judges touch no native library, so they can run on the
 * control queue; only reward-model and local pairwise judges load a model (GPU queue).
 */
public final class JudgeFactory {
    private static final int REWARD_MODEL_BATCH = 8;
    private final ModelCache models;
    private final Clock clock;

    public JudgeFactory(ModelCache models, Clock clock) {
        this.models = models;
        this.clock = clock;
    }

    public LoadedJudge open(JudgeSettings settings, ArtifactRef judgeModel, ComputeSettings compute) {
        return switch (settings.type()) {
            case VERIFIER -> new LoadedJudge(verifier(settings), List.of());
            case REWARD_MODEL ->
                withModel(judgeModel, compute, (lm, tok) -> new RewardModelJudge(lm, tok, REWARD_MODEL_BATCH));
            case PAIRWISE_LLM ->
                settings.endpoint() != null
                        ? new LoadedJudge(new PairwiseLlmJudge(endpoint(settings)), List.of())
                        : withModel(
                                judgeModel,
                                compute,
                                (lm, tok) ->
                                        new PairwiseLlmJudge(new LocalModelBackend(lm, tok, settings.maxNewTokens())));
            case POINTWISE_LLM ->
                new LoadedJudge(
                        new PointwiseLlmJudge(
                                endpoint(settings),
                                settings.rubric() == null ? PointwisePrompt.DEFAULT_RUBRIC : settings.rubric()),
                        List.of());
        };
    }

    /**
     * The spec's verifier_regex is the pattern whose first group is the answer; the method's regex mode instead
     * treats the reference as the pattern, so the spec's regex mode maps to answer extraction with normalised
     * comparison.
     */
    static VerifierJudge verifier(JudgeSettings settings) {
        VerifierMode mode = settings.verifierMode();
        if (settings.verifierRegex() == null || settings.verifierRegex().isBlank()) {
            return new VerifierJudge(mode);
        }
        Pattern answer;
        try {
            answer = Pattern.compile(settings.verifierRegex());
        } catch (PatternSyntaxException e) {
            throw StepFailures.invalidInput("judge.verifier_regex is not a pattern: " + e.getMessage());
        }
        return new VerifierJudge(mode == VerifierMode.REGEX ? VerifierMode.NORMALISED : mode, answer);
    }

    private interface ModelJudge {
        dev.tpo.method.judge.Judge create(CausalLm model, ModelTokenizer tokenizer);
    }

    private LoadedJudge withModel(ArtifactRef judgeModel, ComputeSettings compute, ModelJudge create) {
        if (judgeModel == null) {
            throw StepFailures.invalidInput("this judge runs a local model, but the run has no pinned judge model");
        }
        Path dir = models.folder(judgeModel);
        ModelTokenizer tokenizer = ModelTokenizer.open(dir, clock);
        CausalLm model = null;
        try {
            model = ModelFolder.load(dir, Compute.resolve(compute.device(), compute.dtype()));
            return new LoadedJudge(create.create(model, tokenizer), List.of(model, tokenizer));
        } catch (RuntimeException e) {
            if (model != null) {
                model.close();
            }
            tokenizer.close();
            throw e;
        }
    }

    private static OpenAiChatBackend endpoint(JudgeSettings settings) {
        JudgeEndpoint e = settings.endpoint();
        if (e == null) {
            throw StepFailures.invalidInput("judge '" + settings.type() + "' needs an endpoint");
        }
        EndpointSettings defaults = EndpointSettings.of(URI.create(e.baseUrl()), e.model(), e.apiKeyEnv());
        return new OpenAiChatBackend(new EndpointSettings(
                defaults.baseUrl(),
                e.model(),
                e.apiKeyEnv(),
                Duration.ofSeconds(e.timeoutSeconds()),
                e.maxRetries(),
                e.maxConcurrency(),
                settings.maxNewTokens(),
                defaults.temperature(),
                defaults.initialBackoff(),
                defaults.maxBackoff()));
    }
}
