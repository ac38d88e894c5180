package dev.tpo.api.spec;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How the spec's enums are spelled in JSON (run specs, history, reports): the constant's name in lower case. One
 * place for the spelling, the lenient lookup and the list the spec parser prints.
 */
final class WireNames {
    private WireNames() {}

    static String of(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT);
    }

    /** The constant whose wire name is {@code value}, case and surrounding spaces ignored. */
    static <E extends Enum<E>> E parse(Class<E> type, String value, String what) {
        if (value != null) {
            for (E constant : type.getEnumConstants()) {
                if (of(constant).equalsIgnoreCase(value.strip())) {
                    return constant;
                }
            }
        }
        throw new IllegalArgumentException(what + " '" + value + "' is not one of " + allowed(type));
    }

    /** The wire names, sorted, comma-separated. */
    static String allowed(Class<? extends Enum<?>> type) {
        return Arrays.stream(type.getEnumConstants())
                .map(WireNames::of)
                .sorted()
                .collect(Collectors.joining(", "));
    }
}
