package dev.tpo.method.synthetic;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Solves an instruction from its text alone, independently of how {@link TaskGenerator} built it. */
final class ReferenceSolver {
    private static final Pattern ADD = Pattern.compile("Add (\\d+) and (\\d+)\\.");
    private static final Pattern COUNT = Pattern.compile("Count the letter ([a-z]) in ([a-z]+)\\.");
    private static final Pattern TABLE = Pattern.compile("Table:((?: [a-z]=\\d)+)\\. What is ([a-z])\\+([a-z])\\?");

    private ReferenceSolver() {
    }

    static String solve(Category category, String instruction) {
        switch (category) {
            case ADDITION -> {
                Matcher m = match(ADD, instruction);
                return Long.toString(Long.parseLong(m.group(1)) + Long.parseLong(m.group(2)));
            }
            case LETTER_COUNT -> {
                Matcher m = match(COUNT, instruction);
                char letter = m.group(1).charAt(0);
                return Long.toString(m.group(2).chars().filter(c -> c == letter).count());
            }
            case TABLE_SUM -> {
                Matcher m = match(TABLE, instruction);
                Map<String, Integer> table = new HashMap<>();
                for (String entry : m.group(1).strip().split(" ")) {
                    String[] kv = entry.split("=");
                    table.put(kv[0], Integer.parseInt(kv[1]));
                }
                return Integer.toString(table.get(m.group(2)) + table.get(m.group(3)));
            }
            default -> throw new IllegalArgumentException(category.toString());
        }
    }

    private static Matcher match(Pattern p, String text) {
        Matcher m = p.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("not an instruction of this kind: " + text);
        }
        return m;
    }
}
