package dev.tpo.method.judge;

import dev.tpo.model.tokenizer.ChatMessage;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Judge prompts answered by an OpenAI-compatible chat completions endpoint (java.net.http only).
 *
 * <p>At most {@code maxConcurrency} requests are in flight, each with the settings' timeout. A request that times
 * out, cannot connect, gets 408, 429 or a 5xx, or gets a 200 whose body is not a chat completion (an HTML page
 * from a proxy) is retried up to {@code maxRetries} times after an exponential backoff with jitter (a server's
 * Retry-After is honoured, up to the backoff cap); when retries run out the failure is an
 * {@link EndpointUnavailableException} naming the endpoint, the requests made and the last failure. Other 4xx
 * statuses fail at once as permanent. A chat completion whose text holds no verdict is returned as it is: the
 * judges count it as a malformed judgement. The API key is read from the named environment variable when the
 * backend is built and only ever goes into the Authorization header; messages name the endpoint by
 * {@link EndpointSettings#address()} and have the key redacted from quoted bodies.
 */
public final class OpenAiChatBackend implements JudgeBackend {
    private static final Logger LOG = LoggerFactory.getLogger(OpenAiChatBackend.class);

    private final EndpointSettings settings;
    private final String apiKey;
    private final HttpClient http;
    private final ExecutorService pool;
    private final ChatCompletionCodec codec;
    private final RetryDelay delays;

    public OpenAiChatBackend(EndpointSettings settings) {
        this(settings, System::getenv);
    }

    /** @param environment looks up environment variables (tests pass a map) */
    public OpenAiChatBackend(EndpointSettings settings, Function<String, String> environment) {
        this.settings = settings;
        if (settings.apiKeyEnv() != null) {
            String key = environment.apply(settings.apiKeyEnv());
            if (key == null || key.isBlank()) {
                throw new JudgeException(
                        "environment variable " + settings.apiKeyEnv() + " (the judge endpoint's API key) is not set",
                        false);
            }
            this.apiKey = key.strip();
        } else {
            this.apiKey = null;
        }
        // HTTP/1.1: local servers (vLLM's uvicorn, llama.cpp) speak nothing else, and an h2c upgrade attempt on
        // plain http buys nothing for a handful of concurrent requests
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.timeout())
                .build();
        AtomicInteger threads = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(settings.maxConcurrency(), r -> {
            Thread t = new Thread(r, "judge-endpoint-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.codec = new ChatCompletionCodec(settings);
        this.delays = new RetryDelay(settings.initialBackoff(), settings.maxBackoff(), System.nanoTime());
    }

    @Override
    public List<String> complete(List<List<ChatMessage>> chats) {
        List<Future<String>> futures = new ArrayList<>(chats.size());
        for (List<ChatMessage> chat : chats) {
            futures.add(pool.submit(() -> completeOne(chat)));
        }
        List<String> out = new ArrayList<>(chats.size());
        try {
            for (Future<String> f : futures) {
                out.add(f.get());
            }
        } catch (ExecutionException e) {
            futures.forEach(f -> f.cancel(true));
            if (e.getCause() instanceof JudgeException judge) {
                throw judge;
            }
            throw new JudgeException("judge request failed: " + e.getCause(), false, e.getCause());
        } catch (InterruptedException e) {
            futures.forEach(f -> f.cancel(true));
            Thread.currentThread().interrupt();
            throw new JudgeException("interrupted while waiting for the judge endpoint", true, e);
        }
        return out;
    }

    private String completeOne(List<ChatMessage> chat) throws InterruptedException {
        HttpRequest request = request(codec.requestBody(chat));
        String endpoint = settings.address();
        for (int attempt = 0; ; attempt++) {
            String failure;
            Optional<String> retryAfter = Optional.empty();
            Throwable cause = null;
            try {
                HttpResponse<String> response =
                        http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                int status = response.statusCode();
                if (status == 200) {
                    try {
                        return codec.content(response.body());
                    } catch (NotAChatCompletionException e) {
                        failure = redact(e.getMessage());
                    }
                } else if (retried(status)) {
                    failure = redact("status " + status + ": " + ChatCompletionCodec.snippet(response.body()));
                    retryAfter = response.headers().firstValue("Retry-After");
                } else {
                    throw new JudgeException(
                            redact(endpoint + " answered " + status + ": "
                                    + ChatCompletionCodec.snippet(response.body())),
                            false);
                }
            } catch (HttpTimeoutException e) {
                failure = "timed out (timeout " + settings.timeout().toMillis() + " ms)";
                cause = e;
            } catch (IOException e) {
                // refused or reset connections alike: the endpoint may come back
                failure = e.getMessage() == null
                        ? e.getClass().getSimpleName()
                        : e.getClass().getSimpleName() + ": " + e.getMessage();
                cause = e;
            }
            if (attempt >= settings.maxRetries()) {
                throw new EndpointUnavailableException(endpoint, attempt + 1, failure, cause);
            }
            Duration wait = delays.before(attempt + 1, retryAfter, Instant.now());
            LOG.warn(
                    "judge request to {} failed ({}), retry {}/{} in {} ms",
                    endpoint,
                    failure,
                    attempt + 1,
                    settings.maxRetries(),
                    wait.toMillis());
            Thread.sleep(wait.toMillis());
        }
    }

    /**
     * Statuses that say "not now" rather than "never": 408 and 429, and any 5xx (a gateway's 502 or 504 included).
     * Other 4xx (a wrong key, model or URL) fail at once: no retry changes them.
     */
    private static boolean retried(int status) {
        return status == 408 || status == 429 || status >= 500;
    }

    private HttpRequest request(String body) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(settings.chatCompletionsUri())
                .timeout(settings.timeout())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (apiKey != null) {
            builder.header("Authorization", "Bearer " + apiKey);
        }
        return builder.build();
    }

    /** Error messages quote response bodies, and a server may echo the request's key back. */
    private String redact(String message) {
        return apiKey == null ? message : message.replace(apiKey, "[redacted]");
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }

    @Override
    public String toString() {
        return "OpenAiChatBackend[" + settings.address() + ", model " + settings.model() + "]";
    }
}
