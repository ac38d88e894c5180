package dev.tpo.train;

import java.nio.file.Path;

/**
 * Where a run writes and what it starts from.
 *
 * @param outputDir      receives checkpoint-&lt;step&gt;/, metrics.jsonl, train_summary.json and the final model
 * @param sourceModelDir the model folder training started from, whose tokenizer files are copied (may be null)
 * @param resumeFrom     a checkpoint-&lt;step&gt; folder to continue from, or null for a fresh start
 */
public record TrainingRun(Path outputDir, Path sourceModelDir, Path resumeFrom) {
    public TrainingRun {
        if (outputDir == null) {
            throw new InvalidConfigException("output_dir", "missing");
        }
    }
}
