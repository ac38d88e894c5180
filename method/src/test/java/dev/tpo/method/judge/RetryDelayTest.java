package dev.tpo.method.judge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RetryDelayTest {
    private static final Instant NOW = Instant.parse("2024-10-14T12:00:00Z");

    @Test
    void retryAfterIsReadAsSecondsOrHttpDate() {
        assertEquals(Optional.of(Duration.ofSeconds(7)), RetryDelay.parseRetryAfter(" 7 ", NOW));
        assertEquals(
                Optional.of(Duration.ofSeconds(30)), RetryDelay.parseRetryAfter("Mon, 14 Oct 2024 12:00:30 GMT", NOW));
        assertEquals(Optional.of(Duration.ZERO), RetryDelay.parseRetryAfter("Mon, 14 Oct 2024 11:00:00 GMT", NOW));
        assertEquals(Optional.empty(), RetryDelay.parseRetryAfter("soon", NOW));
    }

    @Test
    void backoffGrowsWithJitterAndStaysUnderTheCap() {
        RetryDelay delays = new RetryDelay(Duration.ofMillis(100), Duration.ofMillis(1000), 42);
        for (int attempt = 1; attempt <= 6; attempt++) {
            long ms = delays.before(attempt, Optional.empty(), NOW).toMillis();
            long full = Math.min(1000, 100L << (attempt - 1));
            assertTrue(ms >= Math.min(1000, full / 2) && ms <= full, "attempt " + attempt + ": " + ms);
        }
        // the server's wish wins over a shorter backoff, but not over the cap
        assertEquals(Duration.ofMillis(1000), delays.before(1, Optional.of("1"), NOW));
        assertEquals(Duration.ofMillis(1000), delays.before(1, Optional.of("5"), NOW));
        RetryDelay generous = new RetryDelay(Duration.ofMillis(1), Duration.ofSeconds(60), 1);
        assertEquals(Duration.ofSeconds(5), generous.before(1, Optional.of("5"), NOW));
    }
}
