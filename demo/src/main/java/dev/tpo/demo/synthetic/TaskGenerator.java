package dev.tpo.demo.synthetic;

import java.util.EnumMap;
import java.util.Map;
import java.util.Random;

/**
 * Makes one {@link TaskInstance} of a category from a {@link Random}; everything it writes depends only on the
 * random stream, so a seed fixes the suite.
 */
public final class TaskGenerator {
    static final String PREFIX = "Mod 10, left to right: ";
    private static final int[] UNIT_FACTORS = {1, 3, 7, 9};

    public TaskInstance next(Category category, Random random) {
        int[] digits = new int[Category.STEPS + 1];
        char[] ops = new char[Category.STEPS];
        for (int i = 0; i < digits.length; i++) {
            digits[i] = random.nextInt(10);
        }
        for (int i = 0; i < ops.length; i++) {
            ops[i] = category.operations()
                    .charAt(random.nextInt(category.operations().length()));
            if (ops[i] == '*') {
                // Only factors that permute the digits mod 10: no absorbing 0, so every answer is equally likely.
                digits[i + 1] = UNIT_FACTORS[random.nextInt(UNIT_FACTORS.length)];
            }
        }
        return chain(category, digits, ops);
    }

    /** {@code a op b} modulo 10. */
    static int apply(int a, char op, int b) {
        return switch (op) {
            case '+' -> (a + b) % 10;
            case '-' -> (a - b + 10) % 10;
            case '*' -> (a * b) % 10;
            default -> throw new IllegalArgumentException("not an operation: " + op);
        };
    }

    /**
     * {@code d0 op0 d1 op1 d2 ...} left to right modulo 10, written {@code 7 +5=? *3=? ...}: the useful thought
     * fills in each {@code ?} with the running value ({@code 7 +5=2 *3=6 ...}), so every step has the same width
     * as in the instruction and copies its operation and digit from one fixed offset, and each value is a
     * memorised one-digit fact of the value and the operation just before it; the wrong one stops one operation
     * early; the useless one does no work.
     */
    public static TaskInstance chain(Category category, int[] digits, char[] ops) {
        if (digits.length != ops.length + 1) {
            throw new IllegalArgumentException("one more digit than operations");
        }
        if (ops.length != Category.STEPS) {
            throw new IllegalArgumentException(Category.STEPS + " operations, got " + ops.length);
        }
        for (char op : ops) {
            if (category.operations().indexOf(op) < 0) {
                throw new IllegalArgumentException(category.label() + " has no operation " + op);
            }
        }
        StringBuilder expression = new StringBuilder();
        for (int d : digits) {
            if (d < 0 || d > 9) {
                throw new IllegalArgumentException("not a digit: " + d);
            }
        }
        expression.append(digits[0]);
        StringBuilder work =
                new StringBuilder(ThoughtKind.USEFUL.opening()).append(' ').append(digits[0]);
        StringBuilder shortcut =
                new StringBuilder(ThoughtKind.WRONG.opening()).append(' ').append(digits[0]);
        int value = digits[0];
        int early = value;
        for (int i = 0; i < ops.length; i++) {
            int next = apply(value, ops[i], digits[i + 1]);
            String step = " " + ops[i] + digits[i + 1] + "=";
            expression.append(step).append('?');
            work.append(step).append(next);
            if (i < ops.length - 1) {
                shortcut.append(step).append(next);
                early = next;
            }
            value = next;
        }
        String reference = Integer.toString(value);
        return instance(
                category,
                PREFIX + expression + ".",
                reference,
                work.toString(),
                reference,
                shortcut.toString(),
                Integer.toString(early));
    }

    private static TaskInstance instance(
            Category category,
            String instruction,
            String reference,
            String work,
            String workDraft,
            String shortcut,
            String shortcutDraft) {
        Map<ThoughtKind, String> thoughts = new EnumMap<>(ThoughtKind.class);
        Map<ThoughtKind, String> drafts = new EnumMap<>(ThoughtKind.class);
        put(thoughts, drafts, ThoughtKind.USEFUL, work, workDraft);
        put(thoughts, drafts, ThoughtKind.WRONG, shortcut, shortcutDraft);
        // The useless thought does no work; in seed data its guess is the right answer.
        put(thoughts, drafts, ThoughtKind.USELESS, "Easy", reference);
        // Its draft is a guess, not the last value of a worked thought: a word of its own says so, so a tiny
        // model can tell "copy the last value" from "guess" by the word just before the digit.
        thoughts.put(ThoughtKind.USELESS, "Easy. Guess " + reference + ", ok.");
        return new TaskInstance(category, instruction, reference, thoughts, drafts);
    }

    private static void put(
            Map<ThoughtKind, String> thoughts,
            Map<ThoughtKind, String> drafts,
            ThoughtKind kind,
            String steps,
            String draft) {
        thoughts.put(kind, steps + ". Draft " + draft + ", ok.");
        drafts.put(kind, draft);
    }
}
