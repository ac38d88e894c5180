package dev.tpo.workers.codec;

import io.temporal.payload.codec.PayloadCodecException;

/**
 * A payload that cannot be decrypted with the keys at hand: encrypted while this process has no keys, under a key
 * id it does not have, or failing its integrity check. The message says which and what to set.
 */
public final class PayloadKeyException extends PayloadCodecException {
    public PayloadKeyException(String message) {
        super(message);
    }

    public PayloadKeyException(String message, Throwable cause) {
        super(message, cause);
    }
}
