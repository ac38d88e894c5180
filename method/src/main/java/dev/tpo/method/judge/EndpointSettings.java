package dev.tpo.method.judge;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * How to reach an OpenAI-compatible chat endpoint (OpenAI, vLLM, llama.cpp server, ...).
 *
 * @param baseUrl        the API root, e.g. {@code http://localhost:8000/v1}; requests go to
 *                       {@code baseUrl/chat/completions}
 * @param model          the model name the endpoint serves
 * @param apiKeyEnv      name of the environment variable holding the API key, or null for an endpoint without
 *                       authentication; the key itself is never stored in settings, logged or put in a message
 * @param timeout        per request (connect and response)
 * @param maxRetries     retries after the first attempt on 429, 5xx, timeouts and connection failures
 * @param maxConcurrency most requests in flight at once
 * @param maxTokens      the completion budget per request
 * @param temperature    0 for reproducible verdicts
 * @param initialBackoff first retry delay; doubled per retry (with jitter) up to {@code maxBackoff}
 * @param maxBackoff     longest wait between tries, also the cap on a server's Retry-After
 */
public record EndpointSettings(
        URI baseUrl,
        String model,
        String apiKeyEnv,
        Duration timeout,
        int maxRetries,
        int maxConcurrency,
        int maxTokens,
        double temperature,
        Duration initialBackoff,
        Duration maxBackoff) {
    public EndpointSettings {
        Objects.requireNonNull(baseUrl, "endpoint base_url");
        Objects.requireNonNull(model, "endpoint model");
        Objects.requireNonNull(timeout, "endpoint timeout");
        Objects.requireNonNull(initialBackoff, "endpoint initial_backoff");
        Objects.requireNonNull(maxBackoff, "endpoint max_backoff");
        String scheme = baseUrl.getScheme();
        if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme)) {
            throw new IllegalArgumentException("endpoint base_url must be http or https, got " + baseUrl);
        }
        if (model.isBlank()) {
            throw new IllegalArgumentException("endpoint model must not be empty");
        }
        if (apiKeyEnv != null && apiKeyEnv.isBlank()) {
            throw new IllegalArgumentException("endpoint api_key_env must be a variable name or absent");
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("endpoint timeout must be positive, got " + timeout);
        }
        if (maxRetries < 0) {
            throw new IllegalArgumentException("endpoint max_retries must be >= 0, got " + maxRetries);
        }
        if (maxConcurrency < 1) {
            throw new IllegalArgumentException("endpoint max_concurrency must be >= 1, got " + maxConcurrency);
        }
        if (maxTokens < 1) {
            throw new IllegalArgumentException("endpoint max_tokens must be >= 1, got " + maxTokens);
        }
        if (!(temperature >= 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("endpoint temperature must be >= 0, got " + temperature);
        }
        if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("endpoint backoff must satisfy 0 <= initial_backoff <= max_backoff, "
                    + "got " + initialBackoff + " and " + maxBackoff);
        }
    }

    /** Settings for a judge: 120 s timeout, 5 retries, 8 in flight, 2048 tokens, temperature 0, 1 s to 60 s backoff. */
    public static EndpointSettings of(URI baseUrl, String model, String apiKeyEnv) {
        return new EndpointSettings(
                baseUrl,
                model,
                apiKeyEnv,
                Duration.ofSeconds(120),
                5,
                8,
                2048,
                0.0,
                Duration.ofSeconds(1),
                Duration.ofSeconds(60));
    }

    public URI chatCompletionsUri() {
        String base = baseUrl.toString();
        return URI.create(base.endsWith("/") ? base + "chat/completions" : base + "/chat/completions");
    }

    /**
     * The endpoint as messages and logs name it: scheme://host:port/path of {@link #chatCompletionsUri()}, the port
     * spelled out. User info and the query are left out: some gateways take a key there, and a message goes into
     * Temporal's history.
     */
    public String address() {
        URI uri = chatCompletionsUri();
        int port = uri.getPort() != -1 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
        return uri.getScheme().toLowerCase(Locale.ROOT) + "://" + uri.getHost() + ":" + port
                + (uri.getRawPath() == null ? "" : uri.getRawPath());
    }
}
