package dev.tpo.model.tokenizer;

/**
 * A chat template could not be rendered: a syntax error, a construct Jinjava does not support, or a
 * {@code raise_exception(...)} call made by the template itself.
 */
public class ChatTemplateException extends RuntimeException {
    public ChatTemplateException(String message) {
        super(message);
    }

    public ChatTemplateException(String message, Throwable cause) {
        super(message, cause);
    }
}
