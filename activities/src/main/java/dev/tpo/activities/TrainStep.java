package dev.tpo.activities;

import dev.tpo.activities.heartbeat.HeartbeatPump;
import dev.tpo.activities.heartbeat.TrainProgress;
import dev.tpo.activities.heartbeat.WorkerDrain;
import dev.tpo.activities.policy.DpoConfigs;
import dev.tpo.activities.storage.CheckpointStore;
import dev.tpo.activities.storage.FinishedOutputs;
import dev.tpo.activities.storage.ScratchDir;
import dev.tpo.activities.storage.StepKeys;
import dev.tpo.activities.storage.StoredOutput;
import dev.tpo.api.ArtifactRef;
import dev.tpo.api.activities.TrainActivity;
import dev.tpo.api.spec.DpoSettings;
import dev.tpo.api.steps.TrainInput;
import dev.tpo.api.steps.TrainOutput;
import dev.tpo.artifacts.ArtifactIntegrityException;
import dev.tpo.artifacts.ArtifactStore;
import dev.tpo.model.CausalLm;
import dev.tpo.model.Compute;
import dev.tpo.model.LoraSpec;
import dev.tpo.model.ModelFolder;
import dev.tpo.train.Checkpoint;
import dev.tpo.train.DpoTrainer;
import dev.tpo.train.MetricsLog;
import dev.tpo.train.PreferencePair;
import dev.tpo.train.TrainingData;
import dev.tpo.train.TrainingListener;
import dev.tpo.train.TrainingProgress;
import dev.tpo.train.TrainingRun;
import dev.tpo.train.TrainingSummary;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DPO on an iteration's pairs. Checkpoints (every save_steps) go to the artifact store as they are written and are
 * heartbeated; a retried attempt resumes from the newest complete one, heartbeated or only stored, so at most
 * save_steps of work is lost. The trained model and metrics.jsonl are stored at the end.
 */
public final class TrainStep implements TrainActivity {
    static final String STEP = "train";
    private static final Logger LOG = LoggerFactory.getLogger(TrainStep.class);
    private final StepServices services;

    TrainStep(StepServices services) {
        this.services = services;
    }

    @Override
    public TrainOutput train(TrainInput input) {
        return StepFailures.translate(STEP, () -> run(input));
    }

    private TrainOutput run(TrainInput input) {
        long started = System.nanoTime();
        ArtifactStore store = services.runStores().forRun(input.run());
        List<ArtifactRef> inputs = List.of(input.policy(), input.trainingPairs());
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("dpo", input.dpo());
        settings.put("seed", input.seed());
        settings.put("compute", input.compute());
        String inputKey = services.keys().inputKey(inputs, settings);
        String prefix = services.keys().stepPrefix(input.run(), input.iteration(), STEP, inputKey);
        String outputKey = prefix + "/train-output.json";
        Optional<StoredOutput> finished = new FinishedOutputs(store, input.run()).unrecorded(outputKey);
        if (finished.isPresent()) {
            TrainOutput done = services.json().read(finished.get().bytes(), TrainOutput.class);
            return new TrainOutput(
                    done.model(),
                    done.steps(),
                    done.resumedFromStep(),
                    done.metrics(),
                    done.metricsLog(),
                    seconds(started),
                    true);
        }
        ActivityExecutionContext context = Activity.getExecutionContext();
        CheckpointStore checkpoints = new CheckpointStore(store, prefix);
        // The newest complete checkpoint, heartbeated or not: Temporal's SDK throttles heartbeats, so the last one
        // stored (a drain's, say, right before the attempt ends) may never have been heartbeated. Older ones follow,
        // for when the newest is corrupt.
        List<ArtifactRef> candidates = Stream.concat(
                        context.getHeartbeatDetails(TrainProgress.class).map(TrainProgress::checkpoint).stream(),
                        checkpoints.newestFirst().stream())
                .distinct()
                .sorted(Comparator.comparingInt(CheckpointStore::stepOf).reversed())
                .toList();
        ArtifactRef newest = candidates.isEmpty() ? null : candidates.get(0);
        // Alive from the start (fetching the policy and checkpoint and loading them come first), heartbeating the
        // checkpoint this attempt resumes from until it stores one of its own.
        try (ScratchDir scratch = services.scratch(STEP);
                HeartbeatPump pump = new HeartbeatPump(
                        context,
                        services.heartbeatEvery(),
                        new TrainProgress(newest == null ? 0 : CheckpointStore.stepOf(newest), 0, newest))) {
            Path policyDir = services.models().folder(input.policy());
            Path runDir = scratch.resolve("run");
            Files.createDirectories(runDir);
            ArtifactRef resumeRef = null;
            Path resumeFrom = null;
            for (ArtifactRef candidate : candidates) {
                try {
                    resumeFrom = fetchCheckpoint(candidate, runDir);
                    resumeRef = candidate;
                    break;
                } catch (ArtifactIntegrityException e) {
                    // Never train on changed bytes: an older checkpoint, or the start, is the work to redo. Training
                    // stores this step's checkpoint again when it gets there.
                    LOG.warn("train: not resuming from {}: {}", candidate.uri(), e.getMessage());
                    deleteFolder(runDir.resolve(Checkpoint.PREFIX + CheckpointStore.stepOf(candidate)));
                }
            }
            int resumedFromStep = resumeRef == null ? 0 : CheckpointStore.stepOf(resumeRef);
            List<PreferencePair> pairs = new TrainingData()
                    .readPairs(
                            services.runStores().all().fetch(input.trainingPairs(), scratch.resolve("pairs.jsonl")),
                            true);
            Map<String, Double> lastLogged = new LinkedHashMap<>();
            TrainingSummary summary;
            try (CausalLm model = loadPolicy(policyDir, input)) {
                CheckpointingListener listener =
                        new CheckpointingListener(checkpoints, runDir, pump, lastLogged, services.drain(), resumeRef);
                summary = new DpoTrainer(DpoConfigs.of(input.dpo(), input.seed()), listener)
                        .train(model, pairs, new TrainingRun(runDir, policyDir, resumeFrom));
                if (summary.stoppedEarly()) {
                    throw WorkerDrain.stopped(
                            STEP,
                            "the checkpoint of step " + summary.globalStep() + " (" + listener.lastCheckpoint.uri()
                                    + ")");
                }
            }
            ArtifactRef modelRef =
                    store.putFolder(prefix + "/model", modelOnly(summary.modelDir(), scratch.resolve("model")));
            ArtifactRef metricsRef = store.putFile(prefix + "/" + MetricsLog.FILE, runDir.resolve(MetricsLog.FILE));
            Map<String, Double> metrics = new LinkedHashMap<>(lastLogged);
            metrics.putAll(summary.metrics());
            TrainOutput output = new TrainOutput(
                    modelRef, summary.globalStep(), resumedFromStep, metrics, metricsRef, seconds(started), false);
            List<String> digests = StepKeys.digests(inputs);
            services.recorder().record(store, input.run(), modelRef, STEP, input.iteration(), null, digests);
            services.recorder().record(store, input.run(), metricsRef, STEP, input.iteration(), null, digests);
            store.putBytes(outputKey, services.json().bytes(output));
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException("training scratch space: " + e.getMessage(), e);
        }
    }

    /** Fetches a stored checkpoint into the run folder, with the metrics log it was stored with. */
    private Path fetchCheckpoint(ArtifactRef ref, Path runDir) {
        Path dir = runDir.resolve(Checkpoint.PREFIX + CheckpointStore.stepOf(ref));
        services.runStores().all().fetch(ref, dir);
        try {
            Path metrics = dir.resolve(CheckpointStore.METRICS_COPY);
            if (Files.isRegularFile(metrics)) {
                Files.copy(metrics, runDir.resolve(MetricsLog.FILE), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot restore the metrics log of " + ref.uri(), e);
        }
        return dir;
    }

    private static void deleteFolder(Path dir) {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the rejected checkpoint " + dir, e);
        }
    }

    /**
     * The trainer writes the final model beside its checkpoints and logs; the stored model is its top-level files
     * minus the logs, hard-linked where the file system allows (a model can be many gigabytes).
     */
    private static Path modelOnly(Path trainerOutput, Path staging) throws IOException {
        Files.createDirectories(staging);
        try (Stream<Path> files = Files.list(trainerOutput)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String name = f.getFileName().toString();
                if (name.equals(MetricsLog.FILE) || name.equals(MetricsLog.SUMMARY_FILE)) {
                    continue;
                }
                try {
                    Files.createLink(staging.resolve(name), f);
                } catch (IOException | UnsupportedOperationException e) {
                    Files.copy(f, staging.resolve(name), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        return staging;
    }

    private static double seconds(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1e9;
    }

    /**
     * Stores each checkpoint as it is written and heartbeats it; keeps the newest logged metrics; asks the trainer
     * to stop (after a checkpoint) when the worker drains.
     */
    private static final class CheckpointingListener implements TrainingListener {
        private final CheckpointStore checkpoints;
        private final Path runDir;
        private final HeartbeatPump pump;
        private final Map<String, Double> lastLogged;
        private final WorkerDrain drain;
        private int step;
        private int total;
        private ArtifactRef lastCheckpoint;

        CheckpointingListener(
                CheckpointStore checkpoints,
                Path runDir,
                HeartbeatPump pump,
                Map<String, Double> lastLogged,
                WorkerDrain drain,
                ArtifactRef resumedFrom) {
            this.checkpoints = checkpoints;
            // Until this attempt stores a checkpoint, its heartbeats name the one it resumed from.
            this.lastCheckpoint = resumedFrom;
            this.runDir = runDir;
            this.pump = pump;
            this.lastLogged = lastLogged;
            this.drain = drain;
        }

        @Override
        public boolean stopRequested() {
            return drain.requested();
        }

        @Override
        public void onStep(TrainingProgress progress) {
            step = progress.step();
            total = progress.totalSteps();
            pump.update(new TrainProgress(step, total, lastCheckpoint));
        }

        @Override
        public void onLog(Map<String, Double> metrics) {
            lastLogged.clear();
            lastLogged.putAll(metrics);
        }

        @Override
        public void onCheckpoint(Path checkpoint) {
            lastCheckpoint = checkpoints.upload(checkpoint, runDir.resolve(MetricsLog.FILE));
            pump.beat(new TrainProgress(step, total, lastCheckpoint));
        }
    }

    /** The policy to train: plain, or with fresh LoRA adapters (seeded by the run) that the saved model merges. */
    private static CausalLm loadPolicy(Path policyDir, TrainInput input) {
        Compute compute =
                Compute.resolve(input.compute().device(), input.compute().dtype());
        DpoSettings dpo = input.dpo();
        if (!dpo.usesLora()) {
            return ModelFolder.load(policyDir, compute);
        }
        return ModelFolder.load(
                policyDir,
                compute,
                LoraSpec.of(dpo.loraR(), dpo.loraAlpha(), dpo.loraDropout(), dpo.loraTargetModules()),
                input.seed());
    }
}
