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

    /** The loop: next batch, training step, then logging and checkpointing as configured, until max steps or a stop. */
    private TrainingSummary train(CausalLm model, Map<String, NDArray> params, List<E> examples, TrainingRun run) {
        int total = totalSteps(examples.size());
        LearningRateSchedule schedule = LearningRateSchedule.of(config, total);
        try (AdamW optimizer = new AdamW(params, config);
                MetricsLog log = new MetricsLog(run.outputDir())) {
            TrainerState state = resume(run, model, optimizer, total);
            Batches<E> batches = new Batches<>(
                    examples,
                    new DataOrder(config.seed(), examples.size()),
                    config.effectiveBatchSize(),
                    state.epoch(),
                    state.indexInEpoch());
            RunStats stats = new RunStats(state.tokensSeen());
            int step = state.globalStep();
            Path lastCheckpoint = null;
            boolean stopped = false;
            while (step < total) {
                List<E> stepExamples = batches.next();
                double lr = schedule.at(step);
                StepResult result = trainingStep(model, params, optimizer, stepExamples, step, lr, stats);
                step++;
                stats.record(result, lr);
                double epochProgress = batches.epochProgress();
                listener.onStep(stats.progress(step, total, epochProgress, result.loss()));
                if (step % config.loggingSteps() == 0 || step == total) {
                    log(log, stats, step, epochProgress);
                }
                // A stop also gets a checkpoint of its step, so resuming from it loses nothing.
                stopped = step < total && listener.stopRequested();
                if ((config.saveSteps() > 0 && step % config.saveSteps() == 0) || step == total || stopped) {
                    lastCheckpoint = saveCheckpoint(
                            run,
                            model,
                            optimizer,
                            new TrainerState(
                                    step, total, batches.epoch(), batches.index(), config.seed(), stats.tokensSeen));
                }
                if (stopped) {
                    break;
                }
            }
            return finish(model, run, stats, step, total, stopped, lastCheckpoint);
        }
    }

    /** A fresh state, or the checkpoint's (model and optimizer restored), which must be for this schedule. */
    private TrainerState resume(TrainingRun run, CausalLm model, AdamW optimizer, int total) {
        if (run.resumeFrom() == null) {
            return new TrainerState(0, total, 0, 0, config.seed(), 0);
        }
        TrainerState state = Checkpoint.restore(run.resumeFrom(), model, optimizer);
        if (state.totalSteps() != total || state.seed() != config.seed()) {
            throw new InvalidConfigException(
                    "resume_from_checkpoint",
                    run.resumeFrom()
                            + " was made for max_steps " + state.totalSteps() + " and seed " + state.seed()
                            + ", this run has " + total + " and " + config.seed());
        }
        return state;
    }

    /** One optimiser step: gradients accumulated over the micro-batches, clipped, applied (or skipped), zeroed. */
    private StepResult trainingStep(
            CausalLm model,
            Map<String, NDArray> params,
            AdamW optimizer,
            List<E> stepExamples,
            int step,
            double lr,
            RunStats stats) {
        // Dropout (LoRA's) draws from the engine's generator: seeding it per step makes a resumed run draw
        // the same masks as an uninterrupted one.
        Engine.getInstance().setRandomSeed((int) (config.seed() * 1_000_003L + step));
        Accumulated result = accumulateGradients(model, stepExamples, stats.window);
        double gradNorm = Gradients.clipByGlobalNorm(params, config.maxGradNorm());
        if (!Double.isFinite(result.loss())) {
            throw new TrainingDivergedException(step + 1, "loss " + result.loss() + ", grad_norm " + gradNorm);
        }
        if (Double.isFinite(gradNorm)) {
            optimizer.step(params, lr);
            stats.nonFiniteInARow = 0;
        } else {
            // A finite loss with a non-finite gradient: skip this update (as a loss scaler would) rather
            // than lose the run, but stop if it keeps happening.
            stats.skippedSteps++;
            if (++stats.nonFiniteInARow >= MAX_NON_FINITE_IN_A_ROW) {
                throw new TrainingDivergedException(
                        step + 1,
                        "grad_norm " + gradNorm + " on " + stats.nonFiniteInARow + " steps in a row (loss "
                                + result.loss() + ")");
            }
            LOG.warn("step {}: grad_norm {} with loss {}; update skipped", step + 1, gradNorm, result.loss());
        }
        Gradients.zero(params);
        return new StepResult(result.loss(), result.tokens(), gradNorm);
    }

    /**
     * Forward and backward over the step's micro-batches, each in its own native scope; the losses are divided by
     * the step's normaliser, so the accumulated gradient is that of the whole effective batch.
     */
    private Accumulated accumulateGradients(CausalLm model, List<E> stepExamples, MetricSums window) {
        double normalizer = objective.normalizer(stepExamples);
        double stepLoss = 0;
        long stepTokens = 0;
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            for (int from = 0; from < stepExamples.size(); from += config.perDeviceTrainBatchSize()) {
                List<E> micro = stepExamples.subList(
                        from, Math.min(stepExamples.size(), from + config.perDeviceTrainBatchSize()));
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
        return new Accumulated(stepLoss, stepTokens);
    }

    /** Writes and reports the logging window's means, then starts a new window. */
    private void log(MetricsLog log, RunStats stats, int step, double epochProgress) {
        Map<String, Double> metrics = stats.closeWindow(step, epochProgress);
        log.write(metrics);
        listener.onLog(metrics);
    }

    private Path saveCheckpoint(TrainingRun run, CausalLm model, AdamW optimizer, TrainerState state) {
        Path checkpoint = Checkpoint.save(run.outputDir(), model, optimizer, state, run.sourceModelDir());
        listener.onCheckpoint(checkpoint);
        return checkpoint;
    }

    /** The run's summary; unless stopped, the final model and the summary are written to the output folder. */
    private TrainingSummary finish(
            CausalLm model,
            TrainingRun run,
            RunStats stats,
            int step,
            int total,
            boolean stopped,
            Path lastCheckpoint) {
        Map<String, Double> summary = stats.summary(step);
        Path modelDir = null;
        if (!stopped) {
            modelDir = run.outputDir();
            ModelFolder.save(model, modelDir, run.sourceModelDir());
            MetricsLog.writeSummary(run.outputDir(), summary);
        }
        return new TrainingSummary(step, total, stopped, modelDir, lastCheckpoint, summary);
    }

    /** The summed micro-batch losses and the tokens of one step's forward and backward passes. */
    private record Accumulated(double loss, long tokens) {}

    /** One step's loss and tokens, and its gradient norm before clipping. */
    private record StepResult(double loss, long tokens, double gradNorm) {}

    /** The effective batches of a run: each epoch in its own shuffle, continuing from a position in one. */
    private static final class Batches<E> {
        private final List<E> examples;
        private final DataOrder order;
        private final int batchSize;
        private int epoch;
        private int index;
        private int[] epochOrder;

        Batches(List<E> examples, DataOrder order, int batchSize, int epoch, int index) {
            this.examples = examples;
            this.order = order;
            this.batchSize = batchSize;
            this.epoch = epoch;
            this.index = index;
            this.epochOrder = order.epoch(epoch);
        }

        /** The next effective batch; a batch never spans two epochs, so an epoch's last one may be short. */
        List<E> next() {
            if (index >= examples.size()) {
                epoch++;
                index = 0;
                epochOrder = order.epoch(epoch);
            }
            int end = Math.min(examples.size(), index + batchSize);
            List<E> batch = new ArrayList<>(end - index);
            for (int i = index; i < end; i++) {
                batch.add(examples.get(epochOrder[i]));
            }
            index = end;
            return batch;
        }

        int epoch() {
            return epoch;
        }

        int index() {
            return index;
        }

        double epochProgress() {
            return epoch + (double) index / examples.size();
        }
    }

    /** Metric sums (the logging window's and the run's), timings, token counts and skipped updates of a run. */
    private static final class RunStats {
        final MetricSums window = new MetricSums();
        final MetricSums whole = new MetricSums();
        final long runStart = System.nanoTime();
        long windowStart = runStart;
        long windowTokens;
        long runTokens;
        long tokensSeen;
        int stepsThisRun;
        int skippedSteps;
        int nonFiniteInARow;

        RunStats(long tokensSeen) {
            this.tokensSeen = tokensSeen;
        }

        void record(StepResult step, double lr) {
            stepsThisRun++;
            tokensSeen += step.tokens();
            windowTokens += step.tokens();
            runTokens += step.tokens();
            window.add("loss", step.loss(), 1);
            window.add("grad_norm", step.gradNorm(), 1);
            window.add("learning_rate", lr, 1);
            whole.add("train_loss", step.loss(), 1);
        }

        TrainingProgress progress(int step, int total, double epochProgress, double loss) {
            double elapsed = (System.nanoTime() - runStart) / 1e9;
            double secondsPerStep = elapsed / stepsThisRun;
            return new TrainingProgress(
                    step, total, epochProgress, loss, runTokens / Math.max(1e-9, elapsed), Duration.ofMillis((long)
                            (secondsPerStep * (total - step) * 1000)));
        }

        Map<String, Double> closeWindow(int step, double epochProgress) {
            double windowSeconds = (System.nanoTime() - windowStart) / 1e9;
            Map<String, Double> metrics = new LinkedHashMap<>(window.means());
            metrics.put("step", (double) step);
            metrics.put("epoch", epochProgress);
            metrics.put("tokens_per_second", windowTokens / Math.max(1e-9, windowSeconds));
            window.clear();
            windowStart = System.nanoTime();
            windowTokens = 0;
            return metrics;
        }

        Map<String, Double> summary(int step) {
            double runtime = (System.nanoTime() - runStart) / 1e9;
            Map<String, Double> summary = new LinkedHashMap<>(whole.means());
            summary.put("global_step", (double) step);
            summary.put("train_runtime", runtime);
            summary.put("train_steps_per_second", stepsThisRun / Math.max(1e-9, runtime));
            summary.put("train_tokens", (double) tokensSeen);
            summary.put("train_tokens_per_second", runTokens / Math.max(1e-9, runtime));
            summary.put("skipped_steps", (double) skippedSteps);
            return summary;
        }
    }
}
