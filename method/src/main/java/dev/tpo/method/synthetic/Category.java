package dev.tpo.method.synthetic;

/**
 * The kinds of synthetic instruction. In each, writing intermediate steps down turns one hard step (a carry
 * chain, an exact count, two lookups and a sum) into several local ones that a tiny model can do.
 */
public enum Category {
    /** Two three-digit numbers; the useful thought adds column by column with carries. */
    ADDITION("addition"),
    /** How often a letter occurs in a short string; the useful thought keeps a running count. */
    LETTER_COUNT("letter-count"),
    /** A small key=value table and a sum of two of its entries; the useful thought looks both up first. */
    TABLE_SUM("table-sum");

    private final String label;

    Category(String label) {
        this.label = label;
    }

    /** The name written in prompt records. */
    public String label() {
        return label;
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
