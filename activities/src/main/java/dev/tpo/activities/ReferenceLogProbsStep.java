package dev.tpo.activities;

import dev.tpo.activities.heartbeat.HeartbeatPump;
import dev.tpo.activities.heartbeat.ItemProgress;
import dev.tpo.activities.storage.FinishedOutputs;
import dev.tpo.activities.storage.ScratchDir;
import dev.tpo.activities.storage.StepKeys;
import dev.tpo.activities.storage.StoredOutput;
import dev.tpo.api.ArtifactRef;
import dev.tpo.api.activities.ReferenceLogProbsActivity;
import dev.tpo.api.steps.ReferenceLogProbsInput;
import dev.tpo.artifacts.ArtifactStore;
import dev.tpo.model.CausalLm;
import dev.tpo.model.Compute;
import dev.tpo.model.ModelFolder;
import dev.tpo.train.PreferencePair;
import dev.tpo.train.ReferenceLogProbs;
import dev.tpo.train.TrainingData;
import io.temporal.activity.Activity;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Adds the frozen iteration-start policy's log-probs of chosen and rejected to every pair, once, before training. */
public final class ReferenceLogProbsStep implements ReferenceLogProbsActivity {
    static final String STEP = "reference";
    private static final int BATCH = 8;
    private static final int PAIRS_PER_HEARTBEAT = 64;
    /** What the heartbeat details count. */
    static final String SCORED = "pairs scored";

    private final StepServices services;

    ReferenceLogProbsStep(StepServices services) {
        this.services = services;
    }

    @Override
    public ArtifactRef referenceLogProbs(ReferenceLogProbsInput input) {
        return StepFailures.translate(STEP, () -> run(input));
    }

    private ArtifactRef run(ReferenceLogProbsInput input) {
        ArtifactStore store = services.runStores().forRun(input.run());
        List<ArtifactRef> inputs = List.of(input.policy(), input.pairs());
        String key = services.keys()
                        .stepPrefix(
                                input.run(),
                                input.iteration(),
                                STEP,
                                services.keys().inputKey(inputs, Map.of("compute", input.compute())))
                + "/training-pairs.jsonl";
        Optional<StoredOutput> finished = new FinishedOutputs(store, input.run()).recorded(STEP, key);
        if (finished.isPresent()) {
            services.recorder()
                    .recordIfAbsent(
                            store,
                            input.run(),
                            finished.get().ref(),
                            STEP,
                            input.iteration(),
                            null,
                            StepKeys.digests(inputs));
            return finished.get().ref();
        }
        // Alive from the start: fetching and loading the policy come before the first slice.
        try (HeartbeatPump pump = new HeartbeatPump(
                        Activity.getExecutionContext(), services.heartbeatEvery(), new ItemProgress(SCORED, 0, 0));
                ScratchDir scratch = services.scratch(STEP);
                CausalLm policy = ModelFolder.load(
                        services.models().folder(input.policy()),
                        Compute.resolve(
                                input.compute().device(), input.compute().dtype()))) {
            Path pairs = services.runStores().all().fetch(input.pairs(), scratch.resolve("pairs.jsonl"));
            Path annotated = scratch.resolve("training-pairs.jsonl");
            TrainingData data = new TrainingData();
            List<PreferencePair> all = data.readPairs(pairs, false);
            ReferenceLogProbs reference = new ReferenceLogProbs(policy, BATCH);
            List<PreferencePair> scored = new ArrayList<>(all.size());
            // In slices, so every slice ends in a heartbeat: a long pass never outlasts the heartbeat timeout.
            for (int from = 0; from < all.size(); from += PAIRS_PER_HEARTBEAT) {
                scored.addAll(reference.annotate(all.subList(from, Math.min(all.size(), from + PAIRS_PER_HEARTBEAT))));
                pump.beat(new ItemProgress(SCORED, scored.size(), all.size()));
            }
            data.writePairs(annotated, scored);
            ArtifactRef ref = store.putFile(key, annotated);
            services.recorder()
                    .record(store, input.run(), ref, STEP, input.iteration(), null, StepKeys.digests(inputs));
            return ref;
        }
    }
}
