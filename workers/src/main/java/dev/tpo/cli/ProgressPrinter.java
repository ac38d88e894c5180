package dev.tpo.cli;

import dev.tpo.train.TrainingListener;
import dev.tpo.train.TrainingProgress;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Training progress on stderr through a {@link ProgressBar}: steps, rate, ETA, the latest loss and throughput;
 * checkpoints as lines of their own. Logged metrics go to metrics.jsonl, not the console.
 */
final class ProgressPrinter implements TrainingListener {
    private final String label;
    private final PrintWriter err;
    private ProgressBar bar;

    /**
     * @param label what is trained, e.g. "sft" or "dpo"
     * @param err   the command's error writer ({@code CommandSpec.commandLine().getErr()})
     */
    ProgressPrinter(String label, PrintWriter err) {
        this.label = label;
        this.err = err;
    }

    @Override
    public void onStep(TrainingProgress p) {
        if (bar == null) {
            bar = ProgressBar.on(err, label, p.totalSteps(), "steps");
        }
        bar.update(
                p.step(),
                p.totalSteps(),
                String.format(
                        Locale.ROOT, "loss %.4f, %.0f tokens/s, epoch %.2f", p.loss(), p.tokensPerSecond(), p.epoch()));
        if (p.step() >= p.totalSteps()) {
            bar.finish();
        }
    }

    @Override
    public void onLog(Map<String, Double> metrics) {
        // Every logged step is in metrics.jsonl; the bar already shows the loss.
    }

    @Override
    public void onCheckpoint(Path checkpoint) {
        String line = "checkpoint " + checkpoint;
        if (bar == null) {
            err.println(line);
            err.flush();
        } else {
            bar.println(line);
        }
    }
}
