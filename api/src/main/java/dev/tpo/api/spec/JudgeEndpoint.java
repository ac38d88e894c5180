package dev.tpo.api.spec;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * An OpenAI-compatible chat completions endpoint (vLLM, TGI, a hosted API) used as a judge.
 *
 * @param baseUrl         e.g. http://vllm:8000/v1 (required)
 * @param model           the model name the endpoint serves (required)
 * @param apiKeyEnv       the environment variable on the worker that holds the API key (default OPENAI_API_KEY;
 *                        the key itself never appears in a spec, history or log)
 * @param timeoutSeconds  per request (default 120)
 * @param maxRetries      on 429, 5xx and network errors, with backoff (default 6)
 * @param maxConcurrency  requests in flight per activity (default 8)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record JudgeEndpoint(
        String baseUrl,
        String model,
        String apiKeyEnv,
        Integer timeoutSeconds,
        Integer maxRetries,
        Integer maxConcurrency) {
    public JudgeEndpoint {
        apiKeyEnv = apiKeyEnv == null ? "OPENAI_API_KEY" : apiKeyEnv;
        timeoutSeconds = timeoutSeconds == null ? 120 : timeoutSeconds;
        maxRetries = maxRetries == null ? 6 : maxRetries;
        maxConcurrency = maxConcurrency == null ? 8 : maxConcurrency;
    }

    void validate(SpecProblems p, String path) {
        if (baseUrl == null || !(baseUrl.startsWith("http://") || baseUrl.startsWith("https://"))) {
            p.add(path + ".base_url", "an http:// or https:// URL is required, got " + baseUrl);
        }
        p.required(path + ".model", model);
        if (!apiKeyEnv.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            p.add(
                    path + ".api_key_env",
                    "'" + apiKeyEnv + "' is not an environment variable name (put the key in "
                            + "the worker's environment, never in the spec)");
        }
        p.range(path + ".timeout_seconds", timeoutSeconds, 1, 3600);
        p.range(path + ".max_retries", maxRetries, 0, 100);
        p.range(path + ".max_concurrency", maxConcurrency, 1, 1024);
    }
}
