package dev.tpo.demo.synthetic;

/**
 * The kinds of synthetic instruction: five single digits joined by four operations, evaluated left to right
 * modulo 10. Writing each intermediate value down turns one hard step (composing every operation at once, which
 * no pooling over the digits can shortcut) into four memorised one-digit facts, each reading the previous value
 * and the next operation and digit from fixed offsets (both categories have the same length, so the offsets are
 * the same), which a tiny model learns quickly; answering directly is much harder for it.
 */
public enum Category {
    /** Additions and multiplications. */
    PLUS_TIMES("plus-times", "+*"),
    /** Subtractions and multiplications. */
    MINUS_TIMES("minus-times", "-*");

    /** Operations per instruction. */
    public static final int STEPS = 4;

    private final String label;
    private final String operations;

    Category(String label, String operations) {
        this.label = label;
        this.operations = operations;
    }

    /** The name written in prompt records. */
    public String label() {
        return label;
    }

    /** The operation characters this category draws from. */
    public String operations() {
        return operations;
    }

    public static Category fromLabel(String label) {
        for (Category c : values()) {
            if (c.label.equals(label)) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown category: " + label);
    }
}
