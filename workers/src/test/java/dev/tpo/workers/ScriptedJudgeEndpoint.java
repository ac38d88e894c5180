package dev.tpo.workers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP server (the JDK's) in the test's JVM that plays OpenAI-compatible judge endpoints for worker
 * processes: each route answers its n-th chat completion request as its script says. Requests without the expected
 * bearer key get 401, so a key that did not reach the worker fails the run visibly.
 */
final class ScriptedJudgeEndpoint implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What a route does with its n-th request (1-based); {@code answer} is the text being graded. */
    interface Script {
        void answer(HttpExchange exchange, int n, String answer) throws IOException;
    }

    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(4);
    private final String key;
    private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();

    ScriptedJudgeEndpoint(String key) throws IOException {
        this.key = key;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(threads);
        server.start();
    }

    /** Serves {@code script} at {@code /route/v1/chat/completions}; returns the base URL a spec names. */
    URI route(String route, Script script) {
        AtomicInteger count = requests.computeIfAbsent(route, r -> new AtomicInteger());
        server.createContext("/" + route + "/v1/chat/completions", exchange -> {
            try (exchange) {
                JsonNode body = JSON.readTree(exchange.getRequestBody().readAllBytes());
                int n = count.incrementAndGet();
                if (!("Bearer " + key).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                    reply(exchange, 401, "{\"error\":\"missing or wrong API key\"}");
                    return;
                }
                script.answer(exchange, n, gradedAnswer(body));
            }
        });
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/" + route + "/v1");
    }

    int requests(String route) {
        return requests.getOrDefault(route, new AtomicInteger()).get();
    }

    /** The assistant's answer inside a pointwise grading prompt. */
    private static String gradedAnswer(JsonNode body) {
        String user = body.get("messages").get(1).get("content").asText();
        int from = user.indexOf("[The Start of Assistant's Answer]\n");
        int to = user.lastIndexOf("\n[The End of Assistant's Answer]");
        return from < 0 || to < from ? user : user.substring(from + "[The Start of Assistant's Answer]\n".length(), to);
    }

    static void reply(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    /** A chat completion whose text grades {@code answer} 1-10 by its hash: samples differ, so pairs form. */
    static void rate(HttpExchange exchange, String answer) throws IOException {
        int rating = 1 + Math.floorMod(answer.hashCode(), 10);
        String completion = JSON.createObjectNode()
                .put("id", "chatcmpl-test")
                .put("object", "chat.completion")
                .set(
                        "choices",
                        JSON.createArrayNode()
                                .add(JSON.createObjectNode()
                                        .put("index", 0)
                                        .put("finish_reason", "stop")
                                        .set(
                                                "message",
                                                JSON.createObjectNode()
                                                        .put("role", "assistant")
                                                        .put("content", "Fine. Rating: [[" + rating + "]]"))))
                .toString();
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        reply(exchange, 200, completion);
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
