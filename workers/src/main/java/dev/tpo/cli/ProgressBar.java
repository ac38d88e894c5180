package dev.tpo.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Progress of long work (training steps, prompts generated, sequences scored, iterations of a run) on stderr
 * (a command's error writer). On a
 * terminal one line is redrawn in place: a bar, count, rate and ETA. Anywhere else (a log file, CI, a pipe) it
 * prints a line at the start, then every {@link #LINE_EVERY} and at the end, instead of one line per step: the
 * demo's seed SFT used to print 2,256.
 */
final class ProgressBar {
    static final Duration LINE_EVERY = Duration.ofSeconds(10);
    private static final long REDRAW_NANOS = 100_000_000L;
    private static final int BAR_WIDTH = 30;

    private final PrintWriter out;
    private final String label;
    private final String unit;
    private final boolean terminal;
    private final LongSupplier nanoTime;
    private final long startedNanos;
    private long total;
    private long lastDrawNanos = Long.MIN_VALUE;
    private int drawnWidth;
    private long done;
    private long doneAtStart = -1;
    private String extra = "";

    ProgressBar(PrintWriter out, String label, long total, String unit, boolean terminal, LongSupplier nanoTime) {
        this.out = out;
        this.label = label;
        this.total = total;
        this.unit = unit;
        this.terminal = terminal;
        this.nanoTime = nanoTime;
        this.startedNanos = nanoTime.getAsLong();
    }

    /**
     * On a command's error writer ({@code CommandSpec.commandLine().getErr()}, the process's stderr from the
     * launcher), redrawn in place when the process has a terminal (and TERM is not dumb).
     */
    static ProgressBar on(PrintWriter err, String label, long total, String unit) {
        boolean terminal = System.console() != null && !"dumb".equals(System.getenv("TERM"));
        return new ProgressBar(err, label, total, unit, terminal, System::nanoTime);
    }

    /** @param extraText what else to show (e.g. "loss 0.4213"); kept until the next update */
    synchronized void update(long doneNow, long totalNow, String extraText) {
        if (doneAtStart < 0) {
            // Work resumed from a checkpoint starts counting its rate from there.
            doneAtStart = Math.max(0, doneNow - 1);
        }
        done = doneNow;
        total = totalNow;
        extra = extraText == null ? "" : extraText;
        long now = nanoTime.getAsLong();
        boolean last = total > 0 && done >= total;
        long every = terminal ? REDRAW_NANOS : LINE_EVERY.toNanos();
        if (last || lastDrawNanos == Long.MIN_VALUE || now - lastDrawNanos >= every) {
            draw(now);
        }
    }

    synchronized void update(long doneNow, String extraText) {
        update(doneNow, total, extraText);
    }

    /** A line of its own (a checkpoint saved, say) without breaking the bar. */
    synchronized void println(String line) {
        if (terminal && drawnWidth > 0) {
            out.print("\r" + " ".repeat(drawnWidth) + "\r");
            drawnWidth = 0;
        }
        out.println(line);
        if (terminal && lastDrawNanos != Long.MIN_VALUE) {
            draw(nanoTime.getAsLong());
        }
    }

    /** Ends the bar's line on a terminal (the last state stays on screen). */
    synchronized void finish() {
        if (terminal && drawnWidth > 0) {
            out.println();
            drawnWidth = 0;
        }
        out.flush();
    }

    private void draw(long now) {
        lastDrawNanos = now;
        String text = text(now);
        if (terminal) {
            String padded = text.length() < drawnWidth ? text + " ".repeat(drawnWidth - text.length()) : text;
            out.print("\r" + padded);
            drawnWidth = text.length();
        } else {
            out.println(text);
        }
        out.flush();
    }

    String text(long now) {
        double seconds = (now - startedNanos) / 1e9;
        double rate = seconds > 0 ? (done - Math.max(0, doneAtStart)) / seconds : 0;
        StringBuilder b = new StringBuilder(label).append(": ");
        if (terminal && total > 0) {
            int filled = (int) Math.min(BAR_WIDTH, Math.round(BAR_WIDTH * (double) done / total));
            b.append('[')
                    .append("#".repeat(filled))
                    .append("-".repeat(BAR_WIDTH - filled))
                    .append("] ");
        }
        b.append(done);
        if (total > 0) {
            b.append('/').append(total);
        }
        b.append(' ').append(unit);
        if (total > 0) {
            b.append(String.format(Locale.ROOT, " (%.0f%%)", 100.0 * done / total));
        }
        b.append(String.format(
                Locale.ROOT,
                ", %s %s/s",
                rate >= 10 ? String.format(Locale.ROOT, "%.0f", rate) : String.format(Locale.ROOT, "%.2f", rate),
                unit));
        if (total > 0 && done < total) {
            b.append(", ETA ").append(rate > 0 ? clock((total - done) / rate) : "?");
        } else if (total > 0) {
            b.append(", took ").append(clock(seconds));
        }
        if (!extra.isEmpty()) {
            b.append(", ").append(extra);
        }
        return b.toString();
    }

    static String clock(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600
                ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
