package dev.tpo.workers.codec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The AES-256 keys that encrypt payloads, by key id; the first is the current one (new payloads are encrypted with
 * it), the others only decrypt what older keys wrote, so keys rotate by putting a new one first. The text form is
 * {@code id:base64key} entries separated by commas or new lines ({@code #} starts a comment line in a file), each key
 * 32 bytes. Key material is never printed: messages and {@link #toString()} name ids and the source only.
 */
public final class PayloadKeys {
    /** The keys themselves, {@code id1:base64,id2:base64}, first = current. No flag on purpose (ps, history). */
    public static final String KEYS_ENV = "TPO_PAYLOAD_KEYS";
    /** A file holding the same text, one entry a line; the {@code --payload-key-file} flag wins over it. */
    public static final String KEY_FILE_ENV = "TPO_PAYLOAD_KEY_FILE";

    public static final String KEY_FILE_FLAG = "--payload-key-file";
    public static final int KEY_BYTES = 32;

    private static final PayloadKeys NONE = new PayloadKeys(new LinkedHashMap<>(), "no payload keys");

    private final Map<String, SecretKey> keys;
    private final String source;

    private PayloadKeys(LinkedHashMap<String, SecretKey> keys, String source) {
        this.keys = Collections.unmodifiableMap(keys);
        this.source = source;
    }

    /** No keys: nothing is encrypted, and an encrypted payload cannot be read. */
    public static PayloadKeys none() {
        return NONE;
    }

    /**
     * The keys the flag or environment names: {@code keyFile} (the flag, else {@value #KEY_FILE_ENV}), or
     * {@value #KEYS_ENV}; none when neither is set. Both at once is an error, so which keys are used is never a
     * guess.
     */
    public static PayloadKeys from(Path keyFileFlag, Map<String, String> env) {
        Path file = keyFileFlag;
        String fileSource = KEY_FILE_FLAG;
        if (file == null && !blank(env.get(KEY_FILE_ENV))) {
            file = Path.of(env.get(KEY_FILE_ENV).trim());
            fileSource = KEY_FILE_ENV;
        }
        String inline = env.get(KEYS_ENV);
        if (file != null && !blank(inline)) {
            throw new IllegalArgumentException(
                    fileSource + " and " + KEYS_ENV + " are both set: give the payload " + "keys one way");
        }
        if (file != null) {
            return fromFile(file, fileSource);
        }
        return blank(inline) ? none() : parse(inline, KEYS_ENV);
    }

    /** The keys in {@code file}; {@code what} names the flag or variable that gave it, for messages. */
    public static PayloadKeys fromFile(Path file, String what) {
        String source = what + " (" + file + ")";
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(source + ": file not found");
        } catch (IOException e) {
            throw new IllegalArgumentException(source + ": cannot read it: " + e.getMessage());
        }
        return parse(text, source);
    }

    /**
     * Parses {@code id:base64key} entries; {@code source} names where they came from in every message.
     *
     * @throws IllegalArgumentException an entry without an id, a key that is not base64 or not 32 bytes, a repeated
     *                                  id, or no entries at all
     */
    public static PayloadKeys parse(String text, String source) {
        LinkedHashMap<String, SecretKey> keys = new LinkedHashMap<>();
        int entry = 0;
        for (String line : text.split("\\R")) {
            if (line.strip().startsWith("#")) {
                continue;
            }
            for (String item : line.split("[,\\s]+")) {
                if (item.isEmpty()) {
                    continue;
                }
                entry++;
                int colon = item.indexOf(':');
                if (colon <= 0) {
                    throw new IllegalArgumentException(source + ": entry " + entry + " is not id:base64key");
                }
                String id = item.substring(0, colon);
                if (!id.matches("[A-Za-z0-9._-]{1,64}")) {
                    throw new IllegalArgumentException(
                            source + ": entry " + entry + ": the key id is letters, " + "digits, . _ - (at most 64)");
                }
                byte[] key;
                try {
                    key = Base64.getDecoder().decode(item.substring(colon + 1));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(source + ": key '" + id + "' is not base64");
                }
                if (key.length != KEY_BYTES) {
                    throw new IllegalArgumentException(source + ": key '" + id + "' is " + key.length + " bytes, not "
                            + KEY_BYTES + " (AES-256; make one with: openssl rand -base64 32)");
                }
                if (keys.putIfAbsent(id, new SecretKeySpec(key, "AES")) != null) {
                    throw new IllegalArgumentException(source + ": key id '" + id + "' is given twice");
                }
            }
        }
        if (keys.isEmpty()) {
            throw new IllegalArgumentException(source + ": no keys (expected id:base64key entries)");
        }
        return new PayloadKeys(keys, source);
    }

    public boolean isEmpty() {
        return keys.isEmpty();
    }

    /** The id new payloads are encrypted under; null with no keys. */
    public String currentId() {
        return keys.isEmpty() ? null : keys.keySet().iterator().next();
    }

    /** The key with this id, or null. */
    SecretKey key(String id) {
        return keys.get(id);
    }

    public Set<String> ids() {
        return keys.keySet();
    }

    /** Where the keys came from ({@value #KEYS_ENV} or the file), for messages. */
    public String source() {
        return source;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    @Override
    public String toString() {
        return "PayloadKeys[ids=" + keys.keySet() + ", source=" + source + "]";
    }
}
