package dev.tpo.api.spec;

import java.util.List;

/** A run spec that cannot run. The message lists every problem, each naming its field. */
public final class InvalidRunSpecException extends RuntimeException {
    private final List<String> problems;

    public InvalidRunSpecException(List<String> problems) {
        super("invalid run spec: " + String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
