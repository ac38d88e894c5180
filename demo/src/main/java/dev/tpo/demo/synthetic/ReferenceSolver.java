package dev.tpo.demo.synthetic;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Solves an instruction from its text alone, independently of how {@link TaskGenerator} built it. */
final class ReferenceSolver {
    private static final Pattern CHAIN = Pattern.compile("Mod 10, left to right: (\\d(?: [-+*]\\d=\\?)+)\\.");

    private ReferenceSolver() {}

    static String solve(Category category, String instruction) {
        Matcher m = CHAIN.matcher(instruction);
        if (!m.matches()) {
            throw new IllegalArgumentException("not an instruction of this kind: " + instruction);
        }
        String e = m.group(1).replace(" ", "").replace("=?", "");
        if (e.length() != 2 * Category.STEPS + 1) {
            throw new IllegalArgumentException(Category.STEPS + " operations: " + instruction);
        }
        long value = e.charAt(0) - '0';
        for (int i = 1; i < e.length(); i += 2) {
            char op = e.charAt(i);
            if (category.operations().indexOf(op) < 0) {
                throw new IllegalArgumentException(category.label() + " has no " + op + ": " + instruction);
            }
            long d = e.charAt(i + 1) - '0';
            value = switch (op) {
                case '+' -> value + d;
                case '-' -> value - d;
                default -> value * d;
            };
            value = Math.floorMod(value, 10);
        }
        return Long.toString(value);
    }
}
