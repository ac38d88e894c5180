package dev.tpo.workers.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.temporal.api.common.v1.Payload;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@code tpo codec-server}'s HTTP side: Temporal's remote codec protocol and CORS for the Web UI. */
class CodecServerTest {
    private static final String UI = "http://localhost:8233";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> post(CodecServer server, String path, String body, Map<String, String> headers)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.url() + path))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void decodeReturnsThePlaintextPayloadAndEncodeTheEncryptedOne() throws Exception {
        PayloadKeys keys = PayloadKeys.parse("k1:" + AesGcmPayloadCodecTest.newKey(), "test");
        AesGcmPayloadCodec codec = new AesGcmPayloadCodec(keys);
        Payload plain = AesGcmPayloadCodecTest.json(AesGcmPayloadCodecTest.SECRET);
        Payload sealed = codec.encode(List.of(plain)).get(0);
        try (CodecServer server = CodecServer.start("127.0.0.1", 0, codec, Set.of(UI))) {
            // As the Web UI sends it: under a path prefix, with its namespace header, from its origin.
            HttpResponse<String> decoded = post(
                    server,
                    "/some/prefix/decode",
                    JSON.writeValueAsString(CodecServer.toJson(List.of(sealed, plain))),
                    Map.of("X-Namespace", "default", "Origin", UI));
            assertEquals(200, decoded.statusCode(), decoded.body());
            assertEquals(
                    UI,
                    decoded.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
            List<Payload> back = CodecServer.fromJson(JSON.readTree(decoded.body()));
            assertEquals(List.of(plain, plain), back, "the encrypted one decrypted, the plain one passed through");
            assertTrue(back.get(0).getData().toStringUtf8().contains(AesGcmPayloadCodecTest.SECRET));
            assertEquals(
                    "json/plain",
                    JSON.readTree(decoded.body())
                            .at("/payloads/0/metadata/encoding")
                            .asText()
                            .transform(b ->
                                    new String(java.util.Base64.getDecoder().decode(b))));

            HttpResponse<String> encoded =
                    post(server, "/encode", JSON.writeValueAsString(CodecServer.toJson(List.of(plain))), Map.of());
            assertEquals(200, encoded.statusCode(), encoded.body());
            assertFalse(encoded.body()
                    .contains(java.util.Base64.getEncoder()
                            .encodeToString(plain.getData().toByteArray())));
            Payload reEncrypted =
                    CodecServer.fromJson(JSON.readTree(encoded.body())).get(0);
            assertTrue(AesGcmPayloadCodec.isEncrypted(reEncrypted));
            assertEquals(plain, codec.decode(List.of(reEncrypted)).get(0));

            // A key the server lacks: 400 with the message, never a 200 with ciphertext.
            Payload foreign = new AesGcmPayloadCodec(PayloadKeys.parse("other:" + AesGcmPayloadCodecTest.newKey(), "t"))
                    .encode(List.of(plain))
                    .get(0);
            HttpResponse<String> unknown =
                    post(server, "/decode", JSON.writeValueAsString(CodecServer.toJson(List.of(foreign))), Map.of());
            assertEquals(400, unknown.statusCode());
            assertTrue(unknown.body().contains("key id 'other'"), unknown.body());

            assertEquals(400, post(server, "/decode", "not json", Map.of()).statusCode());
            assertEquals(404, post(server, "/other", "{}", Map.of()).statusCode());
            assertEquals(
                    "{\"payloads\":[]}", post(server, "/decode", "{}", Map.of()).body());
        }
    }

    @Test
    void preflightsFromTheUiAreAnsweredAndOtherOriginsGetNoCorsHeaders() throws Exception {
        AesGcmPayloadCodec codec =
                new AesGcmPayloadCodec(PayloadKeys.parse("k1:" + AesGcmPayloadCodecTest.newKey(), "test"));
        try (CodecServer server = CodecServer.start("127.0.0.1", 0, codec, Set.of(UI))) {
            HttpResponse<String> preflight = http.send(
                    HttpRequest.newBuilder(URI.create(server.url() + "/decode"))
                            .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                            .header("Origin", UI)
                            .header("Access-Control-Request-Method", "POST")
                            .header("Access-Control-Request-Headers", "content-type,x-namespace")
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(204, preflight.statusCode());
            assertEquals(
                    UI,
                    preflight
                            .headers()
                            .firstValue("Access-Control-Allow-Origin")
                            .orElse(null));
            String allowed = preflight
                    .headers()
                    .firstValue("Access-Control-Allow-Headers")
                    .orElse("")
                    .toLowerCase();
            assertTrue(allowed.contains("content-type") && allowed.contains("x-namespace"), allowed);
            assertTrue(preflight
                    .headers()
                    .firstValue("Access-Control-Allow-Methods")
                    .orElse("")
                    .contains("POST"));

            HttpResponse<String> elsewhere =
                    post(server, "/decode", "{\"payloads\":[]}", Map.of("Origin", "http://evil.example"));
            assertTrue(
                    elsewhere
                            .headers()
                            .firstValue("Access-Control-Allow-Origin")
                            .isEmpty(),
                    "a page from another origin cannot read the answer");
        }
    }
}
