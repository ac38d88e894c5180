package dev.tpo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ActivityBusyTimeTest {
    private static StepRecord step(int from, int to) {
        Instant t0 = Instant.parse("2026-11-25T10:00:00Z");
        return new StepRecord(
                "run",
                "a" + from,
                "Generate",
                1,
                0,
                1,
                Duration.ZERO,
                Duration.ofSeconds(to - from),
                "completed",
                List.of(),
                List.of(),
                t0.plusSeconds(from),
                t0.plusSeconds(to));
    }

    @Test
    void overlappingShardsCountOnceAndGapsNotAtAll() {
        // two shards overlapping 0-10 and 5-12, then a step 20-25, and one still running (no close)
        List<StepRecord> steps = List.of(
                step(5, 12),
                step(0, 10),
                step(20, 25),
                new StepRecord(
                        "run",
                        "x",
                        "Train",
                        1,
                        null,
                        1,
                        Duration.ZERO,
                        null,
                        "running",
                        List.of(),
                        List.of(),
                        Instant.parse("2026-11-25T10:00:30Z"),
                        null));
        assertEquals(Duration.ofSeconds(12 + 5), ActivityBusyTime.of(steps));
        assertEquals(Duration.ZERO, ActivityBusyTime.of(List.of()));
    }
}
