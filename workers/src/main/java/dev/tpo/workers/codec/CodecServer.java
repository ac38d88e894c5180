package dev.tpo.workers.codec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.temporal.api.common.v1.Payload;
import io.temporal.payload.codec.PayloadCodec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.UnaryOperator;

/**
 * Temporal's remote codec HTTP protocol on the JDK's HTTP server, for the Web UI and the Temporal CLI
 * ({@code --codec-endpoint}): {@code POST .../encode} and {@code POST .../decode} take and return a Payloads object
 * as protobuf JSON, {@code {"payloads":[{"metadata":{"encoding":"<base64>"},"data":"<base64>"}]}}; only the last
 * path segment counts, so the endpoints may sit under any prefix. The UI calls it from the browser, so it answers
 * CORS preflights and allows the configured UI origins (with the {@code Content-Type} and {@code X-Namespace}
 * headers the UI sends). Anyone who can reach it can decrypt: it listens on the loopback interface unless told.
 */
public final class CodecServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_BODY_BYTES = 64 << 20;

    private final HttpServer server;
    private final ExecutorService executor;

    private CodecServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /**
     * Starts serving; returns once the port is bound.
     *
     * @param host    the interface to listen on (127.0.0.1 keeps it to this machine)
     * @param port    0 for a free one
     * @param origins the browser origins allowed to call it, e.g. {@code http://localhost:8233}; "*" for any
     */
    public static CodecServer start(String host, int port, PayloadCodec codec, Set<String> origins) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(host, port), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
        }
        ExecutorService executor = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "tpo-codec-server");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", exchange -> {
            try (exchange) {
                handle(exchange, codec, origins);
            }
        });
        server.start();
        return new CodecServer(server, executor);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The endpoint to give the UI ({@code --ui-codec-endpoint}) or the CLI ({@code --codec-endpoint}). */
    public String url() {
        return "http://" + server.getAddress().getHostString() + ":" + port();
    }

    private static void handle(HttpExchange exchange, PayloadCodec codec, Set<String> origins) throws IOException {
        Headers out = exchange.getResponseHeaders();
        String origin = exchange.getRequestHeaders().getFirst("Origin");
        if (origin != null && (origins.contains(origin) || origins.contains("*"))) {
            out.set("Access-Control-Allow-Origin", origin);
            out.set("Access-Control-Allow-Credentials", "true");
            out.set("Access-Control-Allow-Methods", "POST, OPTIONS");
            out.set("Access-Control-Allow-Headers", "Content-Type, X-Namespace, Authorization");
            out.set("Access-Control-Max-Age", "600");
        }
        out.add("Vary", "Origin");
        String path = exchange.getRequestURI().getPath();
        String last = path.substring(path.lastIndexOf('/') + 1);
        UnaryOperator<List<Payload>> operation = switch (last) {
            case "encode" -> codec::encode;
            case "decode" -> codec::decode;
            default -> null;
        };
        String method = exchange.getRequestMethod();
        if (method.equals("OPTIONS")) {
            exchange.sendResponseHeaders(operation == null ? 404 : 204, -1);
            return;
        }
        if (operation == null) {
            send(exchange, 404, "text/plain", "not found: the endpoints are POST .../encode and POST .../decode\n");
            return;
        }
        if (!method.equals("POST")) {
            out.set("Allow", "POST, OPTIONS");
            send(exchange, 405, "text/plain", "use POST\n");
            return;
        }
        List<Payload> payloads;
        try (InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
            if (body.length > MAX_BODY_BYTES) {
                send(exchange, 413, "text/plain", "body over " + MAX_BODY_BYTES + " bytes\n");
                return;
            }
            payloads = fromJson(JSON.readTree(body));
        } catch (IOException | IllegalArgumentException e) {
            send(exchange, 400, "text/plain", "not a Payloads JSON object: " + e.getMessage() + "\n");
            return;
        }
        List<Payload> result;
        try {
            result = operation.apply(payloads);
        } catch (PayloadKeyException e) {
            send(exchange, 400, "text/plain", e.getMessage() + "\n");
            return;
        } catch (RuntimeException e) {
            send(exchange, 500, "text/plain", last + " failed: " + e.getClass().getSimpleName() + "\n");
            return;
        }
        send(exchange, 200, "application/json", JSON.writeValueAsString(toJson(result)));
    }

    /** A Payloads object in protobuf JSON: bytes as base64 (standard or URL-safe, as proto3 JSON allows). */
    public static List<Payload> fromJson(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new IllegalArgumentException("expected an object with \"payloads\"");
        }
        JsonNode list = body.path("payloads");
        if (!list.isMissingNode() && !list.isNull() && !list.isArray()) {
            throw new IllegalArgumentException("\"payloads\" is not an array");
        }
        List<Payload> payloads = new ArrayList<>();
        for (JsonNode node : list) {
            Payload.Builder payload = Payload.newBuilder();
            Iterator<Map.Entry<String, JsonNode>> metadata =
                    node.path("metadata").fields();
            while (metadata.hasNext()) {
                Map.Entry<String, JsonNode> entry = metadata.next();
                payload.putMetadata(
                        entry.getKey(),
                        ByteString.copyFrom(base64(entry.getValue().asText())));
            }
            if (node.hasNonNull("data")) {
                payload.setData(ByteString.copyFrom(base64(node.get("data").asText())));
            }
            payloads.add(payload.build());
        }
        return payloads;
    }

    public static ObjectNode toJson(List<Payload> payloads) {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode list = body.putArray("payloads");
        Base64.Encoder base64 = Base64.getEncoder();
        for (Payload payload : payloads) {
            ObjectNode node = list.addObject();
            ObjectNode metadata = node.putObject("metadata");
            payload.getMetadataMap().forEach((k, v) -> metadata.put(k, base64.encodeToString(v.toByteArray())));
            node.put("data", base64.encodeToString(payload.getData().toByteArray()));
        }
        return body;
    }

    private static byte[] base64(String text) {
        return text.indexOf('-') >= 0 || text.indexOf('_') >= 0
                ? Base64.getUrlDecoder().decode(text)
                : Base64.getDecoder().decode(text);
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type + "; charset=utf-8");
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
