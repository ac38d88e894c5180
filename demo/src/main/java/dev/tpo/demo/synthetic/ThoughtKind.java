package dev.tpo.demo.synthetic;

/**
 * How useful a seed thought is. Each kind opens with its own word, so the strategy a sampled output took can
 * be read off its first token and followed from iteration to iteration.
 */
public enum ThoughtKind {
    /** Correct step-by-step work; the draft follows from it. */
    USEFUL("Work:"),
    /** A plausible but wrong method (stopping one operation early). */
    WRONG("Shortcut:"),
    /** No work at all; the draft is a guess (in the seed data, the right answer, which the model must guess). */
    USELESS("Easy.");

    private final String opening;

    ThoughtKind(String opening) {
        this.opening = opening;
    }

    public String opening() {
        return opening;
    }

    /** The kind whose opening starts {@code thought}, if any. */
    public static java.util.Optional<ThoughtKind> of(String thought) {
        String t = thought.stripLeading();
        for (ThoughtKind k : values()) {
            if (t.startsWith(k.opening)) {
                return java.util.Optional.of(k);
            }
        }
        return java.util.Optional.empty();
    }
}
