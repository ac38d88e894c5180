package dev.tpo.train;

import dev.tpo.model.CausalLm;
import java.util.List;

/** Supervised fine-tuning on completions, with the DPO trainer's optimiser, schedule and checkpoints. */
public final class SftTrainer {
    private final SftConfig config;
    private final TrainingListener listener;

    public SftTrainer(SftConfig config, TrainingListener listener) {
        this.config = config;
        this.listener = listener;
    }

    public TrainingSummary train(CausalLm model, List<SftExample> examples, TrainingRun run) {
        return new TrainingLoop<>(config.training(), new SftObjective(), listener).run(model, examples, run);
    }
}
