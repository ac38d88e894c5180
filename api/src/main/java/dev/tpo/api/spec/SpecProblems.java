package dev.tpo.api.spec;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** Collects every problem in a run spec, each naming its field, so a user fixes them all in one pass. */
public final class SpecProblems {
    private static final Pattern URI = Pattern.compile("(s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](/.*)?|file:/.+)");

    private final List<String> problems = new ArrayList<>();

    public void add(String field, String message) {
        problems.add(field + ": " + message);
    }

    public List<String> list() {
        return List.copyOf(problems);
    }

    public boolean isEmpty() {
        return problems.isEmpty();
    }

    void required(String field, Object value) {
        if (value == null || value instanceof String s && s.isBlank()) {
            add(field, "is required");
        }
    }

    void uri(String field, String value) {
        if (value == null) {
            add(field, "is required");
        } else if (!URI.matcher(value).matches()) {
            add(field, "'" + value + "' is not an s3://bucket/key or file:/// URI");
        } else if (hasParentSegment(value)) {
            // Keys are joined onto these URIs, and a '..' would reach outside the folder the user named.
            add(field, "'" + value + "' must not contain '..' path segments");
        }
    }

    void folderUri(String field, String value) {
        uri(field, value);
        if (value != null && URI.matcher(value).matches() && !value.endsWith("/")) {
            add(field, "'" + value + "' names a folder and must end with '/'");
        }
    }

    private static boolean hasParentSegment(String uri) {
        for (String segment : uri.split("/", -1)) {
            if (segment.equals("..")) {
                return true;
            }
        }
        return false;
    }

    void range(String field, long value, long min, long max) {
        if (value < min || value > max) {
            add(field, value + " is not in [" + min + ", " + max + "]");
        }
    }

    void range(String field, double value, double min, double max) {
        if (!(value >= min && value <= max)) {
            add(field, value + " is not in [" + min + ", " + max + "]");
        }
    }

    void positive(String field, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            add(field, value + " must be a positive number");
        }
    }

    void oneOf(String field, String value, Set<String> allowed) {
        if (!allowed.contains(value)) {
            add(
                    field,
                    "'" + value + "' is not one of "
                            + String.join(", ", allowed.stream().sorted().toList()));
        }
    }
}
