package dev.tpo.model.tokenizer;

/** A model folder's tokenizer files are missing, malformed or unusable. */
public class TokenizerException extends RuntimeException {
    public TokenizerException(String message) {
        super(message);
    }

    public TokenizerException(String message, Throwable cause) {
        super(message, cause);
    }
}
