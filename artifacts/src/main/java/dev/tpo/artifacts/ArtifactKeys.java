package dev.tpo.artifacts;

/**
 * Rules for store keys such as {@code runs/r1/iter-1/generate/generations-003.jsonl}: relative, '/'-separated, no
 * empty, "." or ".." segments (a key must never escape the store's root), no tabs or newlines (they would break
 * folder listing lines), and no segment that looks like one of our in-flight temporary files.
 */
public final class ArtifactKeys {
    private ArtifactKeys() {}

    /** Returns the key when valid; {@code what} names the field in the error. */
    public static String requireKey(String key, String what) {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException(what + " must not be empty");
        }
        if (key.startsWith("/") || key.endsWith("/")) {
            throw new IllegalArgumentException(what + " must not start or end with '/', got '" + key + "'");
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c == '\\' || Character.isISOControl(c)) {
                throw new IllegalArgumentException(
                        what + " has a backslash or control character: '" + key.replaceAll("\\p{Cntrl}", "?") + "'");
            }
        }
        for (String segment : key.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw new IllegalArgumentException(what + " has an empty, '.' or '..' segment: '" + key + "'");
            }
            if (segment.startsWith(AtomicFileWriter.TEMP_PREFIX)) {
                throw new IllegalArgumentException(what + " has a segment starting with the reserved '"
                        + AtomicFileWriter.TEMP_PREFIX + "': '" + key + "'");
            }
        }
        return key;
    }

    /** A single path segment such as a run id or a step name. */
    public static String requireSegment(String segment, String what) {
        requireKey(segment, what);
        if (segment.contains("/")) {
            throw new IllegalArgumentException(what + " must not contain '/', got '" + segment + "'");
        }
        return segment;
    }

    public static String child(String prefix, String relative) {
        return prefix + "/" + relative;
    }
}
