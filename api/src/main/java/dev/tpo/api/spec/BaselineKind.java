package dev.tpo.api.spec;

/**
 * What {@code evaluation.baseline} names. Its JSON value stays a string, because besides the two keywords it may be
 * a model folder URI; this enum is the one place those keywords are spelled.
 */
public enum BaselineKind {
    /** "seed": the seed policy answering directly, without a thought prompt. */
    SEED("seed"),
    /** "none": no baseline, so no win rates (scores only). */
    NONE("none"),
    /** Any other value: the model folder at that URI. */
    MODEL(null);

    private final String keyword;

    BaselineKind(String keyword) {
        this.keyword = keyword;
    }

    /** The spec's keyword for this kind; null for {@link #MODEL}, which is written as its URI. */
    public String keyword() {
        return keyword;
    }

    /** The kind of a spec's baseline value (never null: anything but a keyword is a model URI). */
    public static BaselineKind of(String baseline) {
        for (BaselineKind kind : values()) {
            if (kind.keyword != null && kind.keyword.equals(baseline)) {
                return kind;
            }
        }
        return MODEL;
    }
}
