package dev.tpo.train;

/** A training option out of range; the message names the option as TRL spells it. */
public final class InvalidConfigException extends IllegalArgumentException {
    public InvalidConfigException(String field, String problem) {
        super(field + ": " + problem);
    }
}
