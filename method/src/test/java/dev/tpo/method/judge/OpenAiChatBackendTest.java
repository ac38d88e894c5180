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
    void retriesRunOutAsATransientError() throws Exception {
        URI base = serve((exchange, n, body) -> reply(exchange, 503, "unavailable"));
        try (OpenAiChatBackend backend = new OpenAiChatBackend(settings(base, 2, 1), ENV::get)) {
            JudgeException e = assertThrows(JudgeException.class, () -> backend.complete(List.of(CHAT)));
            assertTrue(e.isTransient());
            assertTrue(e.getMessage().contains("3 attempts") && e.getMessage().contains("status 503"), e.getMessage());
        }
        assertEquals(3, bodies.size());
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

    @Test
    void aBodyThatIsNotAChatCompletionIsAClearPermanentError() throws Exception {
        URI base = serve((exchange, n, body) -> reply(exchange, 200, "<html>nginx welcome page</html>"));
        try (OpenAiChatBackend backend = new OpenAiChatBackend(settings(base, 3, 1), ENV::get)) {
            JudgeException e = assertThrows(JudgeException.class, () -> backend.complete(List.of(CHAT)));
            assertFalse(e.isTransient());
            assertTrue(
                    e.getMessage().contains("not JSON") && e.getMessage().contains("nginx welcome page"),
                    e.getMessage());
            assertFalse(e.getMessage().contains(KEY));
        }
        assertEquals(1, bodies.size());
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
            assertTrue(e.getMessage().contains("2 attempts"), e.getMessage());
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
    }
}
