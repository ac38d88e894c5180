package dev.tpo.demo.arithmetic;

/**
 * The kinds of instruction in the arithmetic suite: one operation on small numbers, asked bare or inside a short
 * word problem. Measured on SmolLM2-135M-Instruct (8 samples at temperature 0.8, direct answers): bare sums and
 * products of single digits are right about a third to a half of the time, the word problems far less often, and
 * most prompts get a mix of right and wrong samples, which is what preference pairs need. Writing the operation
 * out ("8 + 6 = 14") before answering is the kind of thought that can help a model this small.
 */
public enum ArithmeticCategory {
    /** "What is 7 + 5?" */
    ADDITION("addition"),
    /** "What is 7 times 5?" */
    MULTIPLICATION("multiplication"),
    /** A count that grows: "Tom has 7 apples and buys 5 more. ..." */
    WORD_SUM("word-sum"),
    /** Groups of equal size: boxes, weeks, dozens. */
    WORD_PRODUCT("word-product");

    private final String label;

    ArithmeticCategory(String label) {
        this.label = label;
    }

    /** The name written in prompt records and shown per category in evaluations. */
    public String label() {
        return label;
    }
}
