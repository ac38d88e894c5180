package dev.tpo.activities.heartbeat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.activity.ActivityExecutionContext;
import io.temporal.activity.ActivityInfo;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityOptions;
import io.temporal.client.ActivityCanceledException;
import io.temporal.client.ActivityWorkerShutdownException;
import io.temporal.common.RetryOptions;
import io.temporal.testing.TestActivityEnvironment;
import java.lang.reflect.Proxy;
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

    /**
     * SIGTERM: Temporal's SDK refuses every heartbeat once the worker shuts down. The step carries on (to its next
     * resumable point, or to its result) instead of failing at its next heartbeat; a cancelled attempt still fails.
     */
    @Test
    void aShuttingDownWorkerDoesNotFailTheStepButACancelledAttemptDoes() {
        ActivityInfo info = proxy(ActivityInfo.class, (method, args) -> switch (method) {
            case "getActivityId" -> "a1";
            case "getHeartbeatTimeout" -> Duration.ofSeconds(8);
            default -> null;
        });
        List<Object> sent = new CopyOnWriteArrayList<>();
        RuntimeException[] refusal = {null};
        ActivityExecutionContext context = proxy(ActivityExecutionContext.class, (method, args) -> {
            if (method.equals("getInfo")) {
                return info;
            }
            if (method.equals("heartbeat")) {
                if (refusal[0] != null) {
                    throw refusal[0];
                }
                sent.add(args[0]);
            }
            return null;
        });
        try (HeartbeatPump pump = new HeartbeatPump(context, Duration.ofSeconds(30), "start")) {
            pump.beat("chunk 1");
            refusal[0] = new ActivityWorkerShutdownException(info);
            pump.beat("chunk 2");
            pump.beat("chunk 3");
        }
        assertEquals(List.of("chunk 1"), sent, "nothing more is sent once the worker refuses heartbeats");

        refusal[0] = new ActivityCanceledException(info);
        try (HeartbeatPump pump = new HeartbeatPump(context, Duration.ofSeconds(30), "start")) {
            assertThrows(ActivityCanceledException.class, () -> pump.beat("chunk 1"));
        }
    }

    private interface Answer {
        Object answer(String method, Object[] args);
    }

    private static <T> T proxy(Class<T> type, Answer answer) {
        return type.cast(Proxy.newProxyInstance(
                type.getClassLoader(), new Class<?>[] {type}, (p, m, args) -> answer.answer(m.getName(), args)));
    }
}
