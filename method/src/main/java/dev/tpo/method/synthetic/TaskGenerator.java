package dev.tpo.method.synthetic;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Makes one {@link TaskInstance} of a category from a {@link Random}; everything it writes depends only on the
 * random stream, so a seed fixes the suite.
 */
public final class TaskGenerator {
    static final String COUNT_ALPHABET = "abcdef";
    static final String TABLE_KEYS = "abcdefgh";
    static final int TABLE_SIZE = 5;
    /** Fixed, like the operand widths, so that each step of a thought reads the prompt at a fixed offset. */
    static final int COUNT_LENGTH = 8;

    public TaskInstance next(Category category, Random random) {
        return switch (category) {
            case ADDITION -> addition(100 + random.nextInt(900), 100 + random.nextInt(900));
            case LETTER_COUNT -> letterCount(random);
            case TABLE_SUM -> tableSum(random);
        };
    }

    /** {@code a + b}: the useful thought adds the columns right to left, keeping the digits found so far. */
    public static TaskInstance addition(int a, int b) {
        String x = Integer.toString(a);
        String y = Integer.toString(b);
        int width = Math.max(x.length(), y.length());
        StringBuilder work = new StringBuilder(ThoughtKind.USEFUL.opening());
        StringBuilder shortcut = new StringBuilder(ThoughtKind.WRONG.opening());
        String digits = "";
        String noCarry = "";
        int carry = 0;
        for (int i = 0; i < width; i++) {
            int dx = digit(x, i);
            int dy = digit(y, i);
            int s = dx + dy + carry;
            digits = (s % 10) + digits;
            // Column sums always take two digits, so every step sits at the same offset in every thought.
            work.append(' ').append(dx).append('+').append(dy).append('+').append(carry).append('=')
                    .append(s / 10).append(s % 10).append(':').append(digits);
            carry = s / 10;
            noCarry = ((dx + dy) % 10) + noCarry;
            shortcut.append(' ').append(dx).append('+').append(dy).append('=').append((dx + dy) % 10)
                    .append(':').append(noCarry);
        }
        if (carry > 0) {
            digits = carry + digits;
        }
        work.append(" c").append(carry).append(':').append(digits);
        String reference = Integer.toString(a + b);
        String wrong = Integer.toString(Integer.parseInt(noCarry));
        return instance(Category.ADDITION, "Add " + x + " and " + y + ".", reference,
                work.toString(), reference, shortcut.toString(), wrong);
    }

    private static TaskInstance letterCount(Random random) {
        int length = COUNT_LENGTH;
        StringBuilder word = new StringBuilder();
        for (int i = 0; i < length; i++) {
            word.append(COUNT_ALPHABET.charAt(random.nextInt(COUNT_ALPHABET.length())));
        }
        char letter = COUNT_ALPHABET.charAt(random.nextInt(COUNT_ALPHABET.length()));
        return letterCount(word.toString(), letter);
    }

    /** How many {@code letter}s {@code word} has: the useful thought writes each letter with the running count. */
    public static TaskInstance letterCount(String word, char letter) {
        StringBuilder work = new StringBuilder(ThoughtKind.USEFUL.opening());
        StringBuilder shortcut = new StringBuilder(ThoughtKind.WRONG.opening());
        int count = 0;
        for (int i = 0; i < word.length(); i++) {
            char c = word.charAt(i);
            if (c == letter) {
                count++;
            }
            work.append(' ').append(c).append(count);
            shortcut.append(' ').append(c).append(i + 1);
        }
        String instruction = "Count the letter " + letter + " in " + word + ".";
        return instance(Category.LETTER_COUNT, instruction, Integer.toString(count), work.toString(),
                Integer.toString(count), shortcut.toString(), Integer.toString(word.length()));
    }

    private static TaskInstance tableSum(Random random) {
        List<Character> keys = new ArrayList<>();
        for (char c : TABLE_KEYS.toCharArray()) {
            keys.add(c);
        }
        java.util.Collections.shuffle(keys, random);
        keys = keys.subList(0, TABLE_SIZE);
        int[] values = new int[TABLE_SIZE];
        for (int i = 0; i < TABLE_SIZE; i++) {
            values[i] = random.nextInt(10);
        }
        int first = random.nextInt(TABLE_SIZE);
        int second = (first + 1 + random.nextInt(TABLE_SIZE - 1)) % TABLE_SIZE;
        char[] k = new char[TABLE_SIZE];
        for (int i = 0; i < TABLE_SIZE; i++) {
            k[i] = keys.get(i);
        }
        return tableSum(k, values, first, second);
    }

    /**
     * {@code keys[first] + keys[second]} from a table: the useful thought looks both entries up, then adds;
     * the wrong one takes the entries after them.
     */
    public static TaskInstance tableSum(char[] keys, int[] values, int first, int second) {
        StringBuilder table = new StringBuilder("Table:");
        for (int i = 0; i < keys.length; i++) {
            table.append(' ').append(keys[i]).append('=').append(values[i]);
        }
        String instruction = table + ". What is " + keys[first] + "+" + keys[second] + "?";
        int sum = values[first] + values[second];
        int f2 = (first + 1) % keys.length;
        int s2 = (second + 1) % keys.length;
        int wrongSum = values[f2] + values[s2];
        String work = ThoughtKind.USEFUL.opening() + " " + keys[first] + "=" + values[first] + " " + keys[second]
                + "=" + values[second] + " " + values[first] + "+" + values[second] + "=" + sum;
        String shortcut = ThoughtKind.WRONG.opening() + " " + keys[f2] + "=" + values[f2] + " " + keys[s2] + "="
                + values[s2] + " " + values[f2] + "+" + values[s2] + "=" + wrongSum;
        return instance(Category.TABLE_SUM, instruction, Integer.toString(sum), work, Integer.toString(sum),
                shortcut, Integer.toString(wrongSum));
    }

    private static TaskInstance instance(Category category, String instruction, String reference, String work,
                                         String workDraft, String shortcut, String shortcutDraft) {
        Map<ThoughtKind, String> thoughts = new EnumMap<>(ThoughtKind.class);
        Map<ThoughtKind, String> drafts = new EnumMap<>(ThoughtKind.class);
        put(thoughts, drafts, ThoughtKind.USEFUL, work, workDraft);
        put(thoughts, drafts, ThoughtKind.WRONG, shortcut, shortcutDraft);
        // The useless thought does no work; in seed data its guess is the right answer.
        put(thoughts, drafts, ThoughtKind.USELESS, "Easy", reference);
        return new TaskInstance(category, instruction, reference, thoughts, drafts);
    }

    private static void put(Map<ThoughtKind, String> thoughts, Map<ThoughtKind, String> drafts, ThoughtKind kind,
                            String steps, String draft) {
        thoughts.put(kind, steps + ". Draft " + draft + ", ok.");
        drafts.put(kind, draft);
    }

    private static int digit(String number, int fromRight) {
        int i = number.length() - 1 - fromRight;
        return i < 0 ? 0 : number.charAt(i) - '0';
    }
}
