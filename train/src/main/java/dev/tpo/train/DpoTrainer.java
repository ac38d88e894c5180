package dev.tpo.train;

import dev.tpo.model.CausalLm;
import java.util.List;

/** Trains a policy with DPO on pairs whose reference log-probs were computed beforehand. */
public final class DpoTrainer {
    private final DpoConfig config;
    private final TrainingListener listener;

    public DpoTrainer(DpoConfig config, TrainingListener listener) {
        this.config = config;
        this.listener = listener;
    }

    /** Trains {@code model} in place and writes checkpoints, metrics and the final model under the run's output. */
    public TrainingSummary train(CausalLm model, List<PreferencePair> pairs, TrainingRun run) {
        for (int i = 0; i < pairs.size(); i++) {
            PreferencePair p = pairs.get(i);
            if (!Double.isFinite(p.refChosenLogp()) || !Double.isFinite(p.refRejectedLogp())) {
                throw new InvalidConfigException(
                        "train_dataset",
                        "pair " + (i + 1) + " has no reference log-probs; run ReferenceLogProbs first");
            }
        }
        return new TrainingLoop<>(config.training(), new DpoObjective(config), listener).run(model, pairs, run);
    }
}
