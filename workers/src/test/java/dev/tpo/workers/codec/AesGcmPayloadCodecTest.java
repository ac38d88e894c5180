package dev.tpo.workers.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import io.temporal.api.common.v1.Payload;
import io.temporal.common.converter.DataConverter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AesGcmPayloadCodecTest {
    static final String SECRET = "Explain photosynthesis to a pirate";

    @TempDir
    Path dir;

    static String newKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    static Payload json(String text) {
        return DataConverter.getDefaultInstance()
                .toPayload(Map.of("prompt", text))
                .orElseThrow();
    }

    @Test
    void roundTripEncryptsEverythingAndRestoresThePayloadExactly() {
        AesGcmPayloadCodec codec = new AesGcmPayloadCodec(PayloadKeys.parse("k1:" + newKey(), "test"));
        Payload plain = json(SECRET);
        Payload sealed = codec.encode(List.of(plain)).get(0);

        assertEquals("binary/encrypted", sealed.getMetadataOrThrow("encoding").toStringUtf8());
        assertEquals("k1", sealed.getMetadataOrThrow("encryption-key-id").toStringUtf8());
        assertEquals(2, sealed.getMetadataCount(), "the original metadata (json/plain) is inside the ciphertext");
        assertFalse(sealed.toByteString().toStringUtf8().contains("photosynthesis"));
        assertFalse(sealed.toByteString().toStringUtf8().contains("json/plain"));
        assertEquals(plain, codec.decode(List.of(sealed)).get(0));

        // A fresh nonce each time: the same payload never encrypts to the same bytes.
        assertNotEquals(sealed.getData(), codec.encode(List.of(plain)).get(0).getData());
    }

    @Test
    void theDataConverterRoundTripsValuesThroughTheCodec() {
        DataConverter converter = AesGcmPayloadCodec.dataConverter(PayloadKeys.parse("k1:" + newKey(), "test"));
        JsonNode spec = new ObjectMapper().createObjectNode().put("name", SECRET);
        Payload sealed = converter.toPayload(spec).orElseThrow();
        assertTrue(AesGcmPayloadCodec.isEncrypted(sealed));
        assertEquals(spec, converter.fromPayload(sealed, JsonNode.class, JsonNode.class));
    }

    @Test
    void rotationEncryptsWithTheFirstKeyAndDecryptsWithAnyNamedOne() {
        String a = newKey();
        String b = newKey();
        Payload underA = new AesGcmPayloadCodec(PayloadKeys.parse("a:" + a, "test"))
                .encode(List.of(json("old")))
                .get(0);
        AesGcmPayloadCodec rotated = new AesGcmPayloadCodec(PayloadKeys.parse("b:" + b + ",a:" + a, "test"));
        Payload underB = rotated.encode(List.of(json("new"))).get(0);

        assertEquals("b", underB.getMetadataOrThrow("encryption-key-id").toStringUtf8(), "the first key is current");
        assertEquals(json("old"), rotated.decode(List.of(underA)).get(0));
        assertEquals(json("new"), rotated.decode(List.of(underB)).get(0));
        // Newline-separated in any order of the old keys: what a key file holds.
        AesGcmPayloadCodec fromLines =
                new AesGcmPayloadCodec(PayloadKeys.parse("# rotated 2024\na:" + a + "\nb:" + b + "\n", "test"));
        assertEquals(json("new"), fromLines.decode(List.of(underB)).get(0));
    }

    @Test
    void anUnknownKeyIdIsAClearError() {
        Payload underB = new AesGcmPayloadCodec(PayloadKeys.parse("b:" + newKey(), "test"))
                .encode(List.of(json(SECRET)))
                .get(0);
        PayloadKeyException e = assertThrows(
                PayloadKeyException.class,
                () -> new AesGcmPayloadCodec(PayloadKeys.parse("a:" + newKey(), "TPO_PAYLOAD_KEYS"))
                        .decode(List.of(underB)));
        assertEquals(
                "a payload is encrypted with key id 'b', which TPO_PAYLOAD_KEYS does not have (it has a)",
                e.getMessage());

        PayloadKeyException none = assertThrows(
                PayloadKeyException.class, () -> new AesGcmPayloadCodec(PayloadKeys.none()).decode(List.of(underB)));
        assertTrue(
                none.getMessage()
                        .contains("encrypted (payload key id 'b') and no payload keys are set: give them "
                                + "in TPO_PAYLOAD_KEYS or --payload-key-file (TPO_PAYLOAD_KEY_FILE)"),
                none.getMessage());
    }

    @Test
    void aTamperedPayloadFailsItsTag() {
        String key = newKey();
        AesGcmPayloadCodec codec = new AesGcmPayloadCodec(PayloadKeys.parse("k1:" + key, "test"));
        Payload sealed = codec.encode(List.of(json(SECRET))).get(0);
        byte[] data = sealed.getData().toByteArray();
        data[data.length / 2] ^= 1;
        Payload flipped = sealed.toBuilder().setData(ByteString.copyFrom(data)).build();
        PayloadKeyException e = assertThrows(PayloadKeyException.class, () -> codec.decode(List.of(flipped)));
        assertTrue(e.getMessage().contains("key id 'k1' fails its integrity check"), e.getMessage());

        // The key id is authenticated too: relabelling a payload with another id that has the same key fails.
        AesGcmPayloadCodec twoIds = new AesGcmPayloadCodec(PayloadKeys.parse("k1:" + key + ",k2:" + key, "test"));
        Payload relabelled = sealed.toBuilder()
                .putMetadata("encryption-key-id", ByteString.copyFromUtf8("k2"))
                .build();
        assertThrows(PayloadKeyException.class, () -> twoIds.decode(List.of(relabelled)));

        Payload truncated =
                sealed.toBuilder().setData(sealed.getData().substring(0, 10)).build();
        assertThrows(PayloadKeyException.class, () -> codec.decode(List.of(truncated)));
    }

    @Test
    void unencryptedPayloadsPassThroughAndNoKeysMeansNoEncryption() {
        Payload plain = json(SECRET);
        AesGcmPayloadCodec codec = new AesGcmPayloadCodec(PayloadKeys.parse("k1:" + newKey(), "test"));
        assertSame(plain, codec.decode(List.of(plain)).get(0), "histories written before encryption stay readable");
        AesGcmPayloadCodec none = new AesGcmPayloadCodec(PayloadKeys.none());
        assertEquals(List.of(plain), none.encode(List.of(plain)));
        assertEquals(List.of(plain), none.decode(List.of(plain)));
    }

    @Test
    void malformedKeysAreClearErrorsThatNeverShowTheKey() {
        String shortKey = Base64.getEncoder().encodeToString(new byte[16]);
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> PayloadKeys.parse("k1:" + shortKey, "TPO_PAYLOAD_KEYS"));
        assertTrue(e.getMessage().startsWith("TPO_PAYLOAD_KEYS: key 'k1' is 16 bytes, not 32"), e.getMessage());
        assertFalse(e.getMessage().contains(shortKey));

        e = assertThrows(IllegalArgumentException.class, () -> PayloadKeys.parse("k1:not*base64", "TPO_PAYLOAD_KEYS"));
        assertEquals("TPO_PAYLOAD_KEYS: key 'k1' is not base64", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> PayloadKeys.parse(newKey(), "TPO_PAYLOAD_KEYS"));
        assertEquals("TPO_PAYLOAD_KEYS: entry 1 is not id:base64key", e.getMessage());
        String key = newKey();
        e = assertThrows(IllegalArgumentException.class, () -> PayloadKeys.parse("a:" + key + ",a:" + key, "x"));
        assertEquals("x: key id 'a' is given twice", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> PayloadKeys.parse(" \n# only a comment\n", "x"));
        assertTrue(e.getMessage().startsWith("x: no keys"), e.getMessage());
    }

    @Test
    void keysComeFromTheFileFlagItsVariableOrTheKeysVariableButNotTwoAtOnce() throws Exception {
        String key = newKey();
        Path file = dir.resolve("keys");
        Files.writeString(file, "# current first\nnew:" + key + "\n", StandardCharsets.UTF_8);

        assertTrue(PayloadKeys.from(null, Map.of()).isEmpty());
        assertTrue(PayloadKeys.from(null, Map.of("TPO_PAYLOAD_KEYS", " ")).isEmpty(), "blank counts as unset");
        assertEquals("new", PayloadKeys.from(file, Map.of()).currentId());
        assertEquals(
                "new",
                PayloadKeys.from(null, Map.of("TPO_PAYLOAD_KEY_FILE", file.toString()))
                        .currentId());
        assertEquals(
                "env",
                PayloadKeys.from(null, Map.of("TPO_PAYLOAD_KEYS", "env:" + key)).currentId());

        IllegalArgumentException both = assertThrows(
                IllegalArgumentException.class, () -> PayloadKeys.from(file, Map.of("TPO_PAYLOAD_KEYS", "env:" + key)));
        assertTrue(both.getMessage().contains("--payload-key-file and TPO_PAYLOAD_KEYS are both set"));
        IllegalArgumentException missing =
                assertThrows(IllegalArgumentException.class, () -> PayloadKeys.from(dir.resolve("nope"), Map.of()));
        assertEquals("--payload-key-file (" + dir.resolve("nope") + "): file not found", missing.getMessage());
        Files.writeString(file, "new:" + key.substring(4));
        IllegalArgumentException bad = assertThrows(
                IllegalArgumentException.class,
                () -> PayloadKeys.from(null, Map.of("TPO_PAYLOAD_KEY_FILE", file.toString())));
        assertTrue(bad.getMessage().startsWith("TPO_PAYLOAD_KEY_FILE (" + file + "): key 'new' is"), bad.getMessage());

        PayloadKeys keys = PayloadKeys.from(null, Map.of("TPO_PAYLOAD_KEYS", "env:" + key));
        assertFalse(keys.toString().contains(key));
        assertArrayEquals(Base64.getDecoder().decode(key), keys.key("env").getEncoded());
    }
}
