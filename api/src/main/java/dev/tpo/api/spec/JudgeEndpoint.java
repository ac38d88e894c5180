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
 * @param timeoutSeconds  per request: connect and answer (default 120); a request past it is retried
 * @param maxRetries      retries of one request inside a step, with exponential backoff and jitter from 1 s up
 *                        to 60 s (a server's Retry-After honoured up to that): on timeouts, network errors, 408,
 *                        429, 5xx and 200 replies that are not chat completions (default 6)
 * @param maxConcurrency  requests in flight per activity (default 8)
 * @param maxStepAttempts Temporal attempts of each judging step (judge shards, evaluations) against this
 *                        endpoint, 10 s apart and doubling up to 10 min (default 10: an endpoint down for about an
 *                        hour is ridden out); when a step's last attempt still finds the endpoint failing, the run
 *                        fails with one non-retryable TpoJudgeRetriesExhausted failure naming the endpoint
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record JudgeEndpoint(
        String baseUrl,
        String model,
        String apiKeyEnv,
        Integer timeoutSeconds,
        Integer maxRetries,
        Integer maxConcurrency,
        Integer maxStepAttempts) {
    public JudgeEndpoint {
        apiKeyEnv = apiKeyEnv == null ? "OPENAI_API_KEY" : apiKeyEnv;
        timeoutSeconds = timeoutSeconds == null ? 120 : timeoutSeconds;
        maxRetries = maxRetries == null ? 6 : maxRetries;
        maxConcurrency = maxConcurrency == null ? 8 : maxConcurrency;
        maxStepAttempts = maxStepAttempts == null ? 10 : maxStepAttempts;
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
        p.range(path + ".max_step_attempts", maxStepAttempts, 1, 100);
    }
}
