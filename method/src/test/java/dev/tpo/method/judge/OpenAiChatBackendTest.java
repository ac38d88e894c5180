package dev.tpo.method.judge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.tpo.model.tokenizer.ChatMessage;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 2, unit = TimeUnit.MINUTES)
class OpenAiChatBackendTest {
    private static final String KEY = "sk-test-secret-123";
    private static final Map<String, String> ENV = Map.of("JUDGE_KEY", KEY);

    private final ObjectMapper json = new ObjectMapper();
    private final List<String> bodies = Collections.synchronizedList(new ArrayList<>());
    private final List<String> authorizations = Collections.synchronizedList(new ArrayList<>());
    private HttpServer server;

    /** What the fake endpoint does with one request. */
    private interface Handler {
        void handle(HttpExchange exchange, int requestNumber, String body) throws IOException;
    }

    private URI serve(Handler handler) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(8));
        AtomicInteger count = new AtomicInteger();
        server.createContext("/v1/chat/completions", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            bodies.add(body);
            authorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
            handler.handle(exchange, count.incrementAndGet(), body);
            exchange.close();
        });
        server.start();
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1");
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private static void reply(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static String completion(String content) {
        return "{\"id\":\"x\",\"object\":\"chat.completion\",\"choices\":[{\"index\":0,\"message\":"
                + "{\"role\":\"assistant\",\"content\":" + new ObjectMapper().valueToTree(content) + "},"
                + "\"finish_reason\":\"stop\"}]}";
    }

    private static EndpointSettings settings(URI base, int retries, int concurrency) {
        return new EndpointSettings(
                base,
                "judge-70b",
                "JUDGE_KEY",
                Duration.ofSeconds(5),
                retries,
                concurrency,
                256,
                0.0,
                Duration.ofMillis(10),
                Duration.ofSeconds(3));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static final List<ChatMessage> CHAT = List.of(ChatMessage.system("be fair"), ChatMessage.user("hi"));

    @Test
    void retriesOn429And500HonouringRetryAfterThenSucceeds() throws Exception {
        URI base = serve((exchange, n, body) -> {
            if (n == 1) {
                exchange.getResponseHeaders().add("Retry-After", "1");
                reply(exchange, 429, "{\"error\":\"slow down\"}");
            } else if (n == 2) {
                reply(exchange, 500, "oops");
            } else {
                reply(exchange, 200, completion("Verdict: [[A]]"));
            }
        });
        long start = System.nanoTime();
        List<String> answers;
        try (OpenAiChatBackend backend = new OpenAiChatBackend(settings(base, 3, 2), ENV::get)) {
            answers = backend.complete(List.of(CHAT));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        assertEquals(List.of("Verdict: [[A]]"), answers);
        assertEquals(3, bodies.size());
        assertTrue(seconds >= 1.0, "Retry-After: 1 was not honoured, took " + seconds + " s");
        assertEquals("Bearer " + KEY, authorizations.get(0));
        JsonNode body = json.readTree(bodies.get(0));
        assertEquals("judge-70b", body.get("model").asText());
        assertEquals("system", body.get("messages").get(0).get("role").asText());
        assertEquals("hi", body.get("messages").get(1).get("content").asText());
        assertEquals(0.0, body.get("temperature").asDouble());
        assertEquals(256, body.get("max_tokens").asInt());
    }

    @Test
    void retriesRunOutAsATransientErrorNamingTheEndpointTheRequestsAndTheLastStatus() throws Exception {
        URI base = serve((exchange, n, body) -> reply(exchange, 503, "upstream down"));
        try (OpenAiChatBackend backend = new OpenAiChatBackend(settings(base, 2, 1), ENV::get)) {
            EndpointUnavailableException e =
                    assertThrows(EndpointUnavailableException.class, () -> backend.complete(List.of(CHAT)));
            assertTrue(e.isTransient());
            assertEquals("http://127.0.0.1:" + base.getPort() + "/v1/chat/completions", e.endpoint());
            assertEquals(3, e.requests());
            assertEquals("status 503: 'upstream down'", e.lastFailure());
            assertTrue(e.getMessage().contains(e.endpoint()) && e.getMessage().contains("3 requests"), e.getMessage());
        }
        assertEquals(3, bodies.size());
    }

    /**
     * One endpoint through a bad patch, as a proxy in front of a busy model server shows it: 429 with Retry-After,
     * a 500, a reply that never comes within the timeout, an HTML error page with status 200, then the answer.
     * Each is retried, and the waits between tries are the backoff's (or the server's Retry-After).
     */
    @Test
    void fourKindsOfTransientFailureAreEachRetriedWithBackoffThenTheAnswerComes() throws Exception {
        List<Long> arrivals = Collections.synchronizedList(new ArrayList<>());
        URI base = serve((exchange, n, body) -> {
            arrivals.add(System.nanoTime());
            switch (n) {
                case 1 -> {
                    exchange.getResponseHeaders().add("Retry-After", "1");
                    reply(exchange, 429, "{\"error\":\"rate limited\"}");
                }
                case 2 -> reply(exchange, 500, "internal error");
                case 3 -> sleep(3_000);
                case 4 -> reply(exchange, 200, "<html><body>502 Bad Gateway</body></html>");
                default -> reply(exchange, 200, completion("Rating: [[7]]"));
            }
        });
        EndpointSettings settings = new EndpointSettings(
                base,
                "judge-70b",
                "JUDGE_KEY",
                Duration.ofMillis(500),
                4,
                1,
                256,
                0.0,
                Duration.ofMillis(200),
                Duration.ofSeconds(2));
        List<String> answers;
        try (OpenAiChatBackend backend = new OpenAiChatBackend(settings, ENV::get)) {
            answers = backend.complete(List.of(CHAT));
        }
        assertEquals(List.of("Rating: [[7]]"), answers);
        assertEquals(5, arrivals.size());
        double[] gaps = new double[4];
        for (int i = 0; i < 4; i++) {
            gaps[i] = (arrivals.get(i + 1) - arrivals.get(i)) / 1e6;
        }
        // Retry-After: 1 outweighs retry 1's backoff (100-200 ms); retries 2-4 wait 200-400, 400-800 and 800-1600 ms
        // ("equal jitter": at least half the doubled delay), the third after a 500 ms timeout.
        assertTrue(gaps[0] >= 1000, "429 Retry-After: 1 honoured, waited " + gaps[0] + " ms");
        assertTrue(gaps[1] >= 200, "backoff after the 500: " + gaps[1] + " ms");
        assertTrue(gaps[2] >= 500 + 400, "timeout then backoff: " + gaps[2] + " ms");
        assertTrue(gaps[3] >= 800, "backoff after the HTML page: " + gaps[3] + " ms");
    }

    @Test
    void aReplyPastTheTimeoutIsRetriedAndNamedAsATimeout() throws Exception {
        URI base = serve((exchange, n, body) -> sleep(3_000));
        EndpointSettings settings = new EndpointSettings(
                base, "m", null, Duration.ofMillis(300), 1, 1, 16, 0, Duration.ofMillis(10), Duration.ofMillis(10));
        long start = System.nanoTime();
        try (OpenAiChatBackend backend = new OpenAiChatBackend(settings, ENV::get)) {
            EndpointUnavailableException e =
                    assertThrows(EndpointUnavailableException.class, () -> backend.complete(List.of(CHAT)));
            assertEquals(2, e.requests());
            assertEquals("timed out (timeout 300 ms)", e.lastFailure());
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        assertTrue(seconds < 2.5, "each request gave up at its timeout, not the server's 3 s: " + seconds + " s");
    }

    @Test
    void requestTimeoutAndRateLimitStatusesAreRetriedOtherClientErrorsAreNot() throws Exception {
        URI base = serve((exchange, n, body) -> {
            if (n == 1) {
                reply(exchange, 408, "request timeout");
            } else {
                reply(exchange, 404, "no such model");
            }
        });
        try (OpenAiChatBackend backend = new OpenAiChatBackend(settings(base, 3, 1), ENV::get)) {
            JudgeException e = assertThrows(JudgeException.class, () -> backend.complete(List.of(CHAT)));
            assertFalse(e.isTransient());
            assertFalse(e instanceof EndpointUnavailableException);
            assertTrue(e.getMessage().contains("404") && e.getMessage().contains("no such model"), e.getMessage());
        }
        assertEquals(2, bodies.size());
    }

    @Test
    void clientErrorsFailAtOnceAsPermanent() throws Exception {
        // the server echoes the key it got, as some proxies do; it must not reach the message
        URI base = serve((exchange, n, body) -> reply(
                exchange,
                401,
                "{\"error\":\"bad key " + exchange.getRequestHeaders().getFirst("Authorization") + "\"}"));
        try (OpenAiChatBackend backend = new OpenAiChatBackend(settings(base, 3, 1), ENV::get)) {
            JudgeException e = assertThrows(JudgeException.class, () -> backend.complete(List.of(CHAT)));
            assertFalse(e.isTransient());
            assertTrue(
                    e.getMessage().contains("401") && e.getMessage().contains("bad key Bearer [redacted]"),
                    e.getMessage());
            assertFalse(e.getMessage().contains(KEY));
        }
        assertEquals(1, bodies.size());
    }

    /**
     * Garbage in the body of a 200 (not JSON, or JSON of another shape) is no reply at all: a proxy's error page or
     * a truncated body, so it is retried, and once retries run out it is a transient failure that quotes the body
     * (the key an echoing server put there redacted).
     */
    @Test
    void aBodyThatIsNotAChatCompletionIsRetriedThenTransient() throws Exception {
        URI base = serve((exchange, n, body) -> {
            if (n == 1) {
                reply(exchange, 200, "{\"object\":\"list\",\"data\":[]}");
            } else {
                reply(
                        exchange,
                        200,
                        "<html>nginx welcome page "
                                + exchange.getRequestHeaders().getFirst("Authorization") + "</html>");
            }
        });
        try (OpenAiChatBackend backend = new OpenAiChatBackend(settings(base, 2, 1), ENV::get)) {
            EndpointUnavailableException e =
                    assertThrows(EndpointUnavailableException.class, () -> backend.complete(List.of(CHAT)));
            assertTrue(e.isTransient());
            assertEquals(3, e.requests());
            assertTrue(
                    e.lastFailure().contains("not JSON") && e.lastFailure().contains("nginx welcome page"),
                    e.lastFailure());
            assertTrue(e.lastFailure().contains("Bearer [redacted]"), e.lastFailure());
            assertFalse(e.getMessage().contains(KEY));
        }
        assertEquals(3, bodies.size());
    }

    @Test
    void garbageJudgeTextFromAWorkingEndpointIsATie() throws Exception {
        URI base = serve((exchange, n, body) -> reply(exchange, 200, completion("%%%% lorem ipsum ####")));
        try (PairwiseLlmJudge judge = new PairwiseLlmJudge(new OpenAiChatBackend(settings(base, 0, 4), ENV::get))) {
            JudgeScores s = judge.score(List.of(new JudgeTask("p", "q", null, List.of("a", "b", "c"))))
                    .get(0);
            for (double v : s.scores()) {
                assertEquals(0.0, v, 1e-12);
            }
            assertEquals(
                    Verdict.TIE,
                    judge.compare(List.of(new ComparisonTask("p", "q", null, "a", "b")))
                            .get(0)
                            .verdict());
        }
        assertEquals(6 + 2, bodies.size());
    }

    @Test
    void noMoreThanMaxConcurrencyRequestsAreInFlight() throws Exception {
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        URI base = serve((exchange, n, body) -> {
            int now = inFlight.incrementAndGet();
            peak.accumulateAndGet(now, Math::max);
            try {
                Thread.sleep(60);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            inFlight.decrementAndGet();
            String question =
                    json.readTree(body).get("messages").get(0).get("content").asText();
            reply(exchange, 200, completion("answer to " + question));
        });
        List<List<ChatMessage>> chats = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            chats.add(List.of(ChatMessage.user("question " + i)));
        }
        List<String> answers;
        try (OpenAiChatBackend backend = new OpenAiChatBackend(settings(base, 0, 3), ENV::get)) {
            answers = backend.complete(chats);
        }
        assertEquals(12, answers.size());
        assertTrue(peak.get() <= 3, "peak concurrency " + peak.get());
        assertTrue(peak.get() >= 2, "requests were not parallel: peak " + peak.get());
        // answers come back in chat order, whatever order the server saw them in
        for (int i = 0; i < 12; i++) {
            assertEquals("answer to question " + i, answers.get(i));
        }
    }

    @Test
    void connectionFailuresAreRetriedThenTransient() throws Exception {
        URI base = serve((exchange, n, body) -> reply(exchange, 200, completion("x")));
        server.stop(0);
        server = null;
        try (OpenAiChatBackend backend = new OpenAiChatBackend(settings(base, 1, 1), ENV::get)) {
            JudgeException e = assertThrows(JudgeException.class, () -> backend.complete(List.of(CHAT)));
            assertTrue(e.isTransient(), e.getMessage());
            assertTrue(e.getMessage().contains("2 requests"), e.getMessage());
        }
    }

    @Test
    void theKeyComesFromTheNamedVariableAndIsRequiredWhenNamed() throws Exception {
        URI base = serve((exchange, n, body) -> reply(exchange, 200, completion("ok")));
        JudgeException e =
                assertThrows(JudgeException.class, () -> new OpenAiChatBackend(settings(base, 0, 1), name -> null));
        assertTrue(e.getMessage().contains("JUDGE_KEY") && !e.isTransient(), e.getMessage());
        EndpointSettings open =
                new EndpointSettings(base, "m", null, Duration.ofSeconds(5), 0, 1, 16, 0, Duration.ZERO, Duration.ZERO);
        try (OpenAiChatBackend backend = new OpenAiChatBackend(open, name -> {
            throw new AssertionError("no variable should be read");
        })) {
            assertEquals(List.of("ok"), backend.complete(List.of(CHAT)));
            assertFalse(backend.toString().contains(KEY));
        }
        assertEquals(null, authorizations.get(0));
    }

    @Test
    void settingsAreValidatedByName() {
        URI base = URI.create("http://localhost:1/v1");
        assertTrue(assertThrows(
                        IllegalArgumentException.class,
                        () -> new EndpointSettings(
                                URI.create("ftp://x"),
                                "m",
                                null,
                                Duration.ofSeconds(1),
                                0,
                                1,
                                1,
                                0,
                                Duration.ZERO,
                                Duration.ZERO))
                .getMessage()
                .contains("base_url"));
        assertTrue(assertThrows(
                        IllegalArgumentException.class,
                        () -> new EndpointSettings(
                                base, "m", null, Duration.ofSeconds(1), 0, 0, 1, 0, Duration.ZERO, Duration.ZERO))
                .getMessage()
                .contains("max_concurrency"));
        assertEquals(
                URI.create("http://localhost:1/v1/chat/completions"),
                EndpointSettings.of(URI.create("http://localhost:1/v1/"), "m", null)
                        .chatCompletionsUri());
        // what messages and history show: the port spelled out, no user info or query (where keys may hide)
        assertEquals(
                "https://judge.example:443/v1/chat/completions",
                EndpointSettings.of(URI.create("https://user:sk-secret@judge.example/v1"), "m", null)
                        .address());
        assertEquals(
                "http://localhost:8000/v1/chat/completions",
                EndpointSettings.of(URI.create("HTTP://localhost:8000/v1"), "m", null)
                        .address());
    }
}
