package dev.tpo.model.tokenizer;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import java.time.Clock;
import java.time.ZonedDateTime;

/**
 * The global functions transformers gives chat templates. Jinjava binds functions to static methods, so the
 * per-template clock travels in the render context under {@link #CLOCK_VARIABLE} instead of a static field.
 */
final class TemplateFunctions {
    static final String CLOCK_VARIABLE = "__tpo_clock__";

    private TemplateFunctions() {}

    /** {@code raise_exception(msg)}: the template rejects its input; rendering must fail with {@code msg}. */
    public static Object raiseException(String message) {
        throw new TemplateRaisedException(message);
    }

    /** {@code strftime_now(fmt)}: the current date in the render's clock, formatted the Python way. */
    public static String strftimeNow(String pattern) {
        JinjavaInterpreter interpreter = JinjavaInterpreter.getCurrent();
        Object clock = interpreter == null ? null : interpreter.getContext().get(CLOCK_VARIABLE);
        if (!(clock instanceof Clock)) {
            throw new IllegalStateException("strftime_now called outside a ChatTemplate render");
        }
        return PythonStrftime.format(ZonedDateTime.now((Clock) clock), pattern);
    }

    /** Thrown by raise_exception; ChatTemplate looks for it among Jinjava's recorded errors. */
    static final class TemplateRaisedException extends RuntimeException {
        TemplateRaisedException(String message) {
            super(message);
        }
    }
}
