package dev.tpo.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.tpo.model.CausalLm;
import dev.tpo.model.GradMode;
import dev.tpo.model.ModelFolder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The optimiser loop DPO and SFT share: shuffled effective batches split into micro-batches whose gradients
 * accumulate, global-norm clipping, AdamW under the warmup/decay schedule, metrics every logging_steps,
 * checkpoints every save_steps and at the end, and exact resumption from a checkpoint.
 */
public final class TrainingLoop<E> {
    private static final Logger LOG = LoggerFactory.getLogger(TrainingLoop.class);
    private static final int MAX_NON_FINITE_IN_A_ROW = 3;

    private final TrainingConfig config;
    private final TrainingObjective<E> objective;
    private final TrainingListener listener;

    public TrainingLoop(TrainingConfig config, TrainingObjective<E> objective, TrainingListener listener) {
        this.config = config;
        this.objective = objective;
        this.listener = listener == null ? TrainingListener.NONE : listener;
    }

    /** Optimiser steps for {@code examples} examples: max_steps, or epochs times ceil(n / effective batch). */
    public int totalSteps(int examples) {
        if (config.maxSteps() > 0) {
            return config.maxSteps();
        }
        int perEpoch = (examples + config.effectiveBatchSize() - 1) / config.effectiveBatchSize();
        return perEpoch * config.numTrainEpochs();
    }

    public TrainingSummary run(CausalLm model, List<E> examples, TrainingRun run) {
        if (examples.isEmpty()) {
            throw new InvalidConfigException("train_dataset", "no examples");
        }
        Map<String, NDArray> params = model.trainableParameters();
        for (NDArray p : params.values()) {
            p.setRequiresGradient(true);
        }
        model.setTraining(true);
        try (GradMode noGrad = GradMode.offOnThisThread()) {
            return train(model, params, examples, run);
        } finally {
            model.setTraining(false);
        }
    }

    private TrainingSummary train(CausalLm model, Map<String, NDArray> params, List<E> examples, TrainingRun run) {
        int total = totalSteps(examples.size());
        LearningRateSchedule schedule = LearningRateSchedule.of(config, total);
        DataOrder order = new DataOrder(config.seed(), examples.size());
        try (AdamW optimizer = new AdamW(params, config); MetricsLog log = new MetricsLog(run.outputDir())) {
            TrainerState state = new TrainerState(0, total, 0, 0, config.seed(), 0);
            if (run.resumeFrom() != null) {
                state = Checkpoint.restore(run.resumeFrom(), model, optimizer);
                if (state.totalSteps() != total || state.seed() != config.seed()) {
                    throw new InvalidConfigException("resume_from_checkpoint", run.resumeFrom()
                            + " was made for max_steps " + state.totalSteps() + " and seed " + state.seed()
                            + ", this run has " + total + " and " + config.seed());
                }
            }
            int step = state.globalStep();
            int epoch = state.epoch();
            int index = state.indexInEpoch();
            long tokensSeen = state.tokensSeen();
            int[] epochOrder = order.epoch(epoch);
            MetricSums window = new MetricSums();
            MetricSums whole = new MetricSums();
            long runStart = System.nanoTime();
            long windowStart = runStart;
            long windowTokens = 0;
            long runTokens = 0;
            int stepsThisRun = 0;
            int skippedSteps = 0;
            int nonFiniteInARow = 0;
            Path lastCheckpoint = null;
            boolean stopped = false;
            while (step < total) {
                if (index >= examples.size()) {
                    epoch++;
                    index = 0;
                    epochOrder = order.epoch(epoch);
                }
                int end = Math.min(examples.size(), index + config.effectiveBatchSize());
                List<E> stepExamples = new ArrayList<>(end - index);
                for (int i = index; i < end; i++) {
                    stepExamples.add(examples.get(epochOrder[i]));
                }
                index = end;
                double lr = schedule.at(step);
                double normalizer = objective.normalizer(stepExamples);
                // Dropout (LoRA's) draws from the engine's generator: seeding it per step makes a resumed run draw
                // the same masks as an uninterrupted one.
                Engine.getInstance().setRandomSeed((int) (config.seed() * 1_000_003L + step));
                double stepLoss = 0;
                long stepTokens = 0;
                try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    for (int from = 0; from < stepExamples.size(); from += config.perDeviceTrainBatchSize()) {
                        List<E> micro = stepExamples.subList(from,
                                Math.min(stepExamples.size(), from + config.perDeviceTrainBatchSize()));
                        try (NDManager scope = model.manager().newSubManager()) {
                            NDArray loss = objective.loss(model, scope, micro, normalizer, window);
                            collector.backward(loss);
                            stepLoss += Gradients.scalar(loss);
                        }
                        for (E e : micro) {
                            stepTokens += objective.tokens(e);
                        }
                    }
                }
                double gradNorm = Gradients.clipByGlobalNorm(params, config.maxGradNorm());
                if (!Double.isFinite(stepLoss)) {
                    throw new IllegalStateException("training diverged at step " + (step + 1) + ": loss "
                            + stepLoss + ", grad_norm " + gradNorm);
                }
                if (Double.isFinite(gradNorm)) {
                    optimizer.step(params, lr);
                    nonFiniteInARow = 0;
                } else {
                    // A finite loss with a non-finite gradient: skip this update (as a loss scaler would) rather
                    // than lose the run, but stop if it keeps happening.
                    skippedSteps++;
                    if (++nonFiniteInARow >= MAX_NON_FINITE_IN_A_ROW) {
                        throw new IllegalStateException("training diverged at step " + (step + 1) + ": grad_norm "
                                + gradNorm + " on " + nonFiniteInARow + " steps in a row (loss " + stepLoss + ")");
                    }
                    LOG.warn("step {}: grad_norm {} with loss {}; update skipped", step + 1, gradNorm, stepLoss);
                }
                Gradients.zero(params);
                step++;
                stepsThisRun++;
                tokensSeen += stepTokens;
                windowTokens += stepTokens;
                window.add("loss", stepLoss, 1);
                window.add("grad_norm", gradNorm, 1);
                window.add("learning_rate", lr, 1);
                whole.add("train_loss", stepLoss, 1);
                double epochProgress = epoch + (double) index / examples.size();
                double elapsed = (System.nanoTime() - runStart) / 1e9;
                double secondsPerStep = elapsed / stepsThisRun;
                runTokens += stepTokens;
                listener.onStep(new TrainingProgress(step, total, epochProgress, stepLoss,
                        runTokens / Math.max(1e-9, elapsed), Duration.ofMillis((long) (secondsPerStep
                        * (total - step) * 1000))));
                if (step % config.loggingSteps() == 0 || step == total) {
                    double windowSeconds = (System.nanoTime() - windowStart) / 1e9;
                    Map<String, Double> metrics = new LinkedHashMap<>(window.means());
                    metrics.put("step", (double) step);
                    metrics.put("epoch", epochProgress);
                    metrics.put("tokens_per_second", windowTokens / Math.max(1e-9, windowSeconds));
                    log.write(metrics);
                    listener.onLog(metrics);
                    window.clear();
                    windowStart = System.nanoTime();
                    windowTokens = 0;
                }
                TrainerState now = new TrainerState(step, total, epoch, index, config.seed(), tokensSeen);
                // A stop also gets a checkpoint of its step, so resuming from it loses nothing.
                stopped = step < total && listener.stopRequested();
                if ((config.saveSteps() > 0 && step % config.saveSteps() == 0) || step == total || stopped) {
                    lastCheckpoint = Checkpoint.save(run.outputDir(), model, optimizer, now, run.sourceModelDir());
                    listener.onCheckpoint(lastCheckpoint);
                }
                if (stopped) {
                    break;
                }
            }
            double runtime = (System.nanoTime() - runStart) / 1e9;
            Map<String, Double> summary = new LinkedHashMap<>(whole.means());
            summary.put("global_step", (double) step);
            summary.put("train_runtime", runtime);
            summary.put("train_steps_per_second", stepsThisRun / Math.max(1e-9, runtime));
            summary.put("train_tokens", (double) tokensSeen);
            summary.put("train_tokens_per_second", runTokens / Math.max(1e-9, runtime));
            summary.put("skipped_steps", (double) skippedSteps);
            Path modelDir = null;
            if (!stopped) {
                modelDir = run.outputDir();
                ModelFolder.save(model, modelDir, run.sourceModelDir());
                MetricsLog.writeSummary(run.outputDir(), summary);
            }
            return new TrainingSummary(step, total, stopped, modelDir, lastCheckpoint, summary);
        }
    }
}
