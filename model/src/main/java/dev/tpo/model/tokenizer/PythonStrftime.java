package dev.tpo.model.tokenizer;

import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.util.Locale;

/**
 * Python's {@code datetime.strftime} for the directives chat templates use (C locale, as in transformers'
 * {@code strftime_now}). An unknown directive is an error rather than silently passed through, so a date
 * line in a prompt can never come out garbled.
 */
final class PythonStrftime {
    private PythonStrftime() {}

    static String format(ZonedDateTime time, String pattern) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c != '%') {
                out.append(c);
                continue;
            }
            if (++i == pattern.length()) {
                throw new IllegalArgumentException("strftime pattern ends with a lone '%': " + pattern);
            }
            char directive = pattern.charAt(i);
            switch (directive) {
                case 'd' -> out.append(two(time.getDayOfMonth()));
                case 'm' -> out.append(two(time.getMonthValue()));
                case 'Y' -> out.append(time.getYear());
                case 'y' -> out.append(two(time.getYear() % 100));
                case 'H' -> out.append(two(time.getHour()));
                case 'I' -> out.append(two(time.getHour() % 12 == 0 ? 12 : time.getHour() % 12));
                case 'M' -> out.append(two(time.getMinute()));
                case 'S' -> out.append(two(time.getSecond()));
                case 'p' -> out.append(time.getHour() < 12 ? "AM" : "PM");
                case 'b' -> out.append(time.getMonth().getDisplayName(TextStyle.SHORT, Locale.ENGLISH));
                case 'B' -> out.append(time.getMonth().getDisplayName(TextStyle.FULL, Locale.ENGLISH));
                case 'a' -> out.append(time.getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.ENGLISH));
                case 'A' -> out.append(time.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ENGLISH));
                case 'j' -> out.append(String.format("%03d", time.getDayOfYear()));
                case '%' -> out.append('%');
                default ->
                    throw new IllegalArgumentException(
                            "unsupported strftime directive %" + directive + " in " + pattern);
            }
        }
        return out.toString();
    }

    private static String two(int value) {
        return value < 10 ? "0" + value : Integer.toString(value);
    }
}
