package dev.tpo.method.judge;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * How long to wait before retry {@code attempt} (1-based): exponential backoff with jitter, or the server's
 * Retry-After (seconds or an HTTP date) when it sent one, whichever is longer, never beyond {@code maxBackoff}.
 */
final class RetryDelay {
    private final Duration initial;
    private final Duration max;
    private final SplittableRandom random;

    RetryDelay(Duration initial, Duration max, long seed) {
        this.initial = initial;
        this.max = max;
        this.random = new SplittableRandom(seed);
    }

    synchronized Duration before(int attempt, Optional<String> retryAfter, Instant now) {
        double exponential = initial.toMillis() * Math.pow(2, Math.min(30, attempt - 1));
        // "equal jitter": half fixed, half random, so simultaneous failures spread out but never retry at once
        long backoff = (long) Math.min(max.toMillis(), exponential * (0.5 + 0.5 * random.nextDouble()));
        long serverWish = retryAfter
                .flatMap(v -> parseRetryAfter(v, now))
                .map(Duration::toMillis)
                .orElse(0L);
        return Duration.ofMillis(Math.min(max.toMillis(), Math.max(backoff, serverWish)));
    }

    static Optional<Duration> parseRetryAfter(String value, Instant now) {
        String v = value.strip();
        try {
            long seconds = Long.parseLong(v);
            return seconds >= 0 ? Optional.of(Duration.ofSeconds(seconds)) : Optional.empty();
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME)
                        .toInstant();
                Duration d = Duration.between(now, at);
                return Optional.of(d.isNegative() ? Duration.ZERO : d);
            } catch (DateTimeParseException notDate) {
                return Optional.empty();
            }
        }
    }
}
