package dev.tpo.workers;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An OpenAI-compatible chat completions endpoint on loopback that a pointwise judge can really call: it answers
 * requests carrying {@code Authorization: Bearer <accepted key>} with a rating (the request body's hash mod 10, plus
 * one, so responses differ and pairs form), and any other request with 401 and a body that echoes the key it was
 * given, as some providers do ("Incorrect API key provided: ..."), so a client that quotes error bodies would leak it.
 */
final class RatingJudgeEndpoint implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService executor;
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();

    RatingJudgeEndpoint(String acceptedKey) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        executor = Executors.newFixedThreadPool(4);
        server.setExecutor(executor);
        server.createContext("/v1/chat/completions", exchange -> {
            try (exchange) {
                answer(exchange, acceptedKey);
            }
        });
        server.start();
    }

    /** The judge's {@code base_url}. */
    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    /** Requests answered with a rating: the accepted key reached this endpoint. */
    int accepted() {
        return accepted.get();
    }

    /** Requests refused with 401. */
    int refused() {
        return refused.get();
    }

    private void answer(HttpExchange exchange, String acceptedKey) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (!("Bearer " + acceptedKey).equals(authorization)) {
            refused.incrementAndGet();
            ObjectNode error = JSON.createObjectNode();
            error.putObject("error")
                    .put("message", "Incorrect API key provided: " + authorization)
                    .put("type", "invalid_request_error");
            send(exchange, 401, error);
            return;
        }
        accepted.incrementAndGet();
        int rating = Math.floorMod(body.hashCode(), 10) + 1;
        ObjectNode completion = JSON.createObjectNode();
        completion.put("id", "chatcmpl-" + accepted.get()).put("object", "chat.completion");
        completion
                .putArray("choices")
                .addObject()
                .put("index", 0)
                .put("finish_reason", "stop")
                .putObject("message")
                .put("role", "assistant")
                .put("content", "A short explanation. Rating: [[" + rating + "]]");
        send(exchange, 200, completion);
    }

    private static void send(HttpExchange exchange, int status, ObjectNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
