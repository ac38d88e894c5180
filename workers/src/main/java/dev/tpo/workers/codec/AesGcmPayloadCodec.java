package dev.tpo.workers.codec;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.temporal.api.common.v1.Payload;
import io.temporal.common.converter.CodecDataConverter;
import io.temporal.common.converter.DataConverter;
import io.temporal.payload.codec.PayloadCodec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Encrypts each payload whole (its metadata and data, serialized) with AES-256-GCM under the current key, a fresh
 * random 96-bit nonce per payload, the key id as associated data. The encrypted payload's metadata says
 * {@value #ENCODING_KEY} = {@value #ENCODING} and {@value #KEY_ID_KEY} = the key id, so decoding picks the key the
 * payload names and keys can rotate; its data is the nonce followed by the ciphertext and the 128-bit tag.
 *
 * <p>Decoding passes a payload without that encoding through unchanged (histories written before encryption stay
 * readable). With no keys, encoding passes everything through and decoding an encrypted payload fails with a
 * {@link PayloadKeyException} saying which variable or flag to set: so every client gets this codec, and one without
 * the keys says so plainly instead of showing ciphertext.
 */
public final class AesGcmPayloadCodec implements PayloadCodec {
    public static final String ENCODING_KEY = "encoding";
    public static final String ENCODING = "binary/encrypted";
    public static final String KEY_ID_KEY = "encryption-key-id";
    private static final String CIPHER = "AES/GCM/NoPadding";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final PayloadKeys keys;

    public AesGcmPayloadCodec(PayloadKeys keys) {
        this.keys = keys;
    }

    /**
     * The SDK's default converter with this codec around it: what every client, worker and CLI, is built with. With
     * keys, failures' messages and stack traces are encrypted too (they move into the failure's encoded attributes;
     * the message left in the clear is the SDK's "Encoded failure"), since they can quote inputs.
     */
    public static DataConverter dataConverter(PayloadKeys keys) {
        return dataConverter(keys, DataConverter.getDefaultInstance());
    }

    /** Like {@link #dataConverter(PayloadKeys)}, around {@code payloads} instead of the SDK's default converter. */
    public static DataConverter dataConverter(PayloadKeys keys, DataConverter payloads) {
        return new CodecDataConverter(payloads, List.of(new AesGcmPayloadCodec(keys)), !keys.isEmpty());
    }

    public PayloadKeys keys() {
        return keys;
    }

    @Override
    public List<Payload> encode(List<Payload> payloads) {
        if (keys.isEmpty()) {
            return payloads;
        }
        String id = keys.currentId();
        SecretKey key = keys.key(id);
        List<Payload> out = new ArrayList<>(payloads.size());
        for (Payload payload : payloads) {
            out.add(encrypt(payload, id, key));
        }
        return out;
    }

    @Override
    public List<Payload> decode(List<Payload> payloads) {
        List<Payload> out = new ArrayList<>(payloads.size());
        for (Payload payload : payloads) {
            out.add(isEncrypted(payload) ? decrypt(payload) : payload);
        }
        return out;
    }

    public static boolean isEncrypted(Payload payload) {
        ByteString encoding = payload.getMetadataMap().get(ENCODING_KEY);
        return encoding != null && encoding.toStringUtf8().equals(ENCODING);
    }

    private static Payload encrypt(Payload payload, String id, SecretKey key) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        byte[] sealed;
        try {
            Cipher cipher = Cipher.getInstance(CIPHER);
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(id.getBytes(StandardCharsets.UTF_8));
            sealed = cipher.doFinal(payload.toByteArray());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available in this JVM: " + e.getMessage(), e);
        }
        return Payload.newBuilder()
                .putMetadata(ENCODING_KEY, ByteString.copyFromUtf8(ENCODING))
                .putMetadata(KEY_ID_KEY, ByteString.copyFromUtf8(id))
                .setData(ByteString.copyFrom(ByteBuffer.allocate(nonce.length + sealed.length)
                        .put(nonce)
                        .put(sealed)
                        .array()))
                .build();
    }

    private Payload decrypt(Payload payload) {
        ByteString idBytes = payload.getMetadataMap().get(KEY_ID_KEY);
        if (idBytes == null) {
            throw new PayloadKeyException("an encrypted payload has no " + KEY_ID_KEY + " in its metadata");
        }
        String id = idBytes.toStringUtf8();
        SecretKey key = keys.key(id);
        if (key == null) {
            throw new PayloadKeyException(
                    keys.isEmpty()
                            ? "this run's data is encrypted (payload key id '" + id
                                    + "') and no payload keys are set: give "
                                    + "them in " + PayloadKeys.KEYS_ENV + " or " + PayloadKeys.KEY_FILE_FLAG + " ("
                                    + PayloadKeys.KEY_FILE_ENV + "), as the workers have them"
                            : "a payload is encrypted with key id '" + id + "', which " + keys.source()
                                    + " does not have (it has " + String.join(", ", keys.ids()) + ")");
        }
        byte[] data = payload.getData().toByteArray();
        if (data.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new PayloadKeyException("an encrypted payload (key id '" + id + "') is too short to be one");
        }
        try {
            Cipher cipher = Cipher.getInstance(CIPHER);
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, data, 0, NONCE_BYTES));
            cipher.updateAAD(id.getBytes(StandardCharsets.UTF_8));
            return Payload.parseFrom(cipher.doFinal(data, NONCE_BYTES, data.length - NONCE_BYTES));
        } catch (AEADBadTagException e) {
            throw new PayloadKeyException(
                    "a payload encrypted with key id '" + id + "' fails its integrity check: " + "it was altered, or "
                            + keys.source() + " has a different key under that id",
                    e);
        } catch (InvalidProtocolBufferException e) {
            throw new PayloadKeyException("a payload decrypted with key id '" + id + "' is not a payload", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available in this JVM: " + e.getMessage(), e);
        }
    }
}
