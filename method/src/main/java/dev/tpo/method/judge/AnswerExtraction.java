package dev.tpo.method.judge;

import java.text.Normalizer;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Finding the final answer in a free-form response, and the normal forms answers are compared in. */
final class AnswerExtraction {
    private static final Pattern BOXED = Pattern.compile("\\\\boxed\\{([^{}]*)}");
    private static final Pattern HASHES = Pattern.compile("####\\s*(.+)");
    private static final Pattern NUMBER =
            Pattern.compile("[-+]?(?:\\d{1,3}(?:,\\d{3})+|\\d+)(?:\\.\\d+)?(?:[eE][-+]?\\d+)?|[-+]?\\.\\d+");
    private static final Pattern PUNCTUATION = Pattern.compile("[\\p{Punct}\\p{IsPunctuation}]");
    private static final Pattern ARTICLES = Pattern.compile("\\b(a|an|the)\\b");

    private AnswerExtraction() {}

    /**
     * The answer part of a response: the last match of {@code answerPattern} (group 1, else the whole match) when
     * one is configured; else the last {@code \boxed{...}}, else the text after the last {@code ####}, else the
     * whole response.
     */
    static String answer(String response, Pattern answerPattern) {
        if (answerPattern != null) {
            Matcher m = answerPattern.matcher(response);
            String last = null;
            while (m.find()) {
                last = m.groupCount() >= 1 && m.group(1) != null ? m.group(1) : m.group();
            }
            return last == null ? "" : last.strip();
        }
        return lastGroup(BOXED, response)
                .or(() -> lastGroup(HASHES, response))
                .orElse(response)
                .strip();
    }

    static String normalise(String text) {
        String s = Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
        s = PUNCTUATION.matcher(s).replaceAll(" ");
        s = ARTICLES.matcher(s).replaceAll(" ");
        return s.replaceAll("\\s+", " ").strip();
    }

    /** The last number in the text, thousands separators removed; empty when there is none. */
    static Optional<Double> lastNumber(String text) {
        return lastGroup0(NUMBER, text).map(n -> Double.parseDouble(n.replace(",", "")));
    }

    private static Optional<String> lastGroup(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        String last = null;
        while (m.find()) {
            last = m.group(1);
        }
        return Optional.ofNullable(last);
    }

    private static Optional<String> lastGroup0(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        String last = null;
        while (m.find()) {
            last = m.group();
        }
        return Optional.ofNullable(last);
    }
}
