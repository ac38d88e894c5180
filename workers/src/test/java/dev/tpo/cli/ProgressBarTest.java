package dev.tpo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressBarTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void offATerminalItPrintsALineEveryTenSecondsNotOnePerStep() {
        StringWriter bytes = new StringWriter();
        AtomicLong now = new AtomicLong();
        ProgressBar bar = new ProgressBar(new PrintWriter(bytes, true), "sft", 2256, "steps", false, now::get);
        for (int step = 1; step <= 2256; step++) {
            now.addAndGet(SECOND / 20);
            bar.update(step, "loss 0.5");
        }
        bar.finish();
        String[] lines = bytes.toString().split("\n");
        // 2256 steps at 20 steps/s = 112.8 s: the first step, one line per 10 s, and the last.
        assertEquals(13, lines.length, String.join("\n", lines));
        assertEquals("sft: 1/2256 steps (0%), 20 steps/s, ETA 1:53, loss 0.5", lines[0]);
        assertEquals("sft: 2256/2256 steps (100%), 20 steps/s, took 1:53, loss 0.5", lines[lines.length - 1]);
        assertFalse(bytes.toString().contains("\r"), "no carriage returns in a log");
    }

    @Test
    void onATerminalOneLineIsRedrawnInPlaceWithABar() {
        StringWriter bytes = new StringWriter();
        AtomicLong now = new AtomicLong();
        ProgressBar bar = new ProgressBar(new PrintWriter(bytes, true), "generate", 10, "prompts", true, now::get);
        for (int done = 1; done <= 10; done++) {
            now.addAndGet(SECOND);
            bar.update(done, done * 100 + " tokens");
            if (done == 5) {
                bar.println("checkpoint /tmp/x");
            }
        }
        bar.finish();
        String shown = bytes.toString();
        assertEquals(1, shown.chars().filter(c -> c == '\n').count() - 1, "the checkpoint line and the end only");
        assertTrue(
                shown.contains("\rgenerate: [###############---------------] 5/10 prompts (50%), 1.00 prompts/s, "
                        + "ETA 0:05, 500 tokens"),
                shown);
        assertTrue(shown.contains("checkpoint /tmp/x\n"), shown);
        assertTrue(
                shown.endsWith("[##############################] 10/10 prompts (100%), 1.00 prompts/s, took 0:10, "
                        + "1000 tokens\n"),
                shown);
    }

    @Test
    void resumedWorkCountsItsRateFromWhereItResumed() {
        AtomicLong now = new AtomicLong();
        ProgressBar bar = new ProgressBar(new PrintWriter(new StringWriter()), "dpo", 100, "steps", false, now::get);
        bar.update(51, "");
        now.addAndGet(10 * SECOND);
        bar.update(60, "");
        assertEquals("dpo: 60/100 steps (60%), 1.00 steps/s, ETA 0:40", bar.text(now.get()));
        assertEquals("1:01:01", ProgressBar.clock(3661));
    }
}
