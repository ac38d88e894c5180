package dev.tpo.activities.heartbeat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.testing.TestActivityEnvironment;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 5, unit = TimeUnit.MINUTES)
class HeartbeatPumpTest {
    @ActivityInterface
    public interface Silent {
        String work(long millis);
    }

    /** A step body that reports nothing for a while (a model load, a long pairing) inside {@code keepAlive}. */
    static final class SilentStep implements Silent {
        @Override
        public String work(long millis) {
            return HeartbeatPump.keepAlive(Duration.ofSeconds(30), "working", () -> {
                try {
                    Thread.sleep(millis);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                return "done";
            });
        }
    }

    @Test
    void periodIsAQuarterOfAShortHeartbeatTimeoutAndNeverLongerThanAsked() {
        assertEquals(1_000, HeartbeatPump.periodMillis(Duration.ofSeconds(30), Duration.ofSeconds(4)));
        assertEquals(30_000, HeartbeatPump.periodMillis(Duration.ofSeconds(30), Duration.ofMinutes(10)));
        assertEquals(30_000, HeartbeatPump.periodMillis(Duration.ofSeconds(30), Duration.ZERO), "no timeout");
        assertEquals(50, HeartbeatPump.periodMillis(Duration.ofSeconds(30), Duration.ofMillis(100)));
    }

    @Test
    void aSilentStepHeartbeatsWithinItsHeartbeatTimeoutFromItsStart() {
        List<Long> beats = new CopyOnWriteArrayList<>();
        TestActivityEnvironment env = TestActivityEnvironment.newInstance();
        env.registerActivitiesImplementations(new SilentStep());
        long started = System.nanoTime();
        env.setActivityHeartbeatListener(String.class, d -> beats.add((System.nanoTime() - started) / 1_000_000));
        try {
            String out = env.newActivityStub(
                            Silent.class,
                            ActivityOptions.newBuilder()
                                    .setStartToCloseTimeout(Duration.ofMinutes(1))
                                    .setHeartbeatTimeout(Duration.ofSeconds(1))
                                    .setRetryOptions(RetryOptions.newBuilder()
                                            .setMaximumAttempts(1)
                                            .build())
                                    .build())
                    .work(3_000);
            assertEquals("done", out);
        } finally {
            env.close();
        }
        // With the 30 s interval alone it would say nothing for 30 s; with a 1 s timeout it must speak at least
        // every 0.8 s (Temporal's SDK sends at most that often), the first time well before the first second.
        assertTrue(beats.size() >= 3, "heartbeats at " + beats + " ms");
        assertTrue(beats.get(0) < 1_000, "first heartbeat at " + beats.get(0) + " ms");
    }
}
