package dev.tpo.activities;

import dev.tpo.activities.heartbeat.HeartbeatPump;
import dev.tpo.activities.rows.GenerationGroups;
import dev.tpo.activities.rows.GenerationRow;
import dev.tpo.activities.rows.JudgementRow;
import dev.tpo.activities.storage.FinishedOutputs;
import dev.tpo.activities.storage.StepKeys;
import dev.tpo.activities.storage.StoredOutput;
import dev.tpo.api.ArtifactRef;
import dev.tpo.api.activities.PairActivity;
import dev.tpo.api.steps.PairInput;
import dev.tpo.api.steps.PairOutput;
import dev.tpo.api.steps.PairSummary;
import dev.tpo.artifacts.ArtifactStore;
import dev.tpo.method.pairs.PairBuilder;
import dev.tpo.method.pairs.PairSelection;
import dev.tpo.method.pairs.PairStats;
import dev.tpo.method.pairs.ScoredSample;
import dev.tpo.method.pairs.SelectedPair;
import dev.tpo.train.PairRow;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Joins an iteration's samples with their judgements and picks, per prompt, the length-controlled best and worst
 * sample; writes them as trainer-readable pairs with readable text beside the ids.
 */
public final class PairStep implements PairActivity {
    static final String STEP = "pair";
    private final StepServices services;

    PairStep(StepServices services) {
        this.services = services;
    }

    @Override
    public PairOutput pair(PairInput input) {
        return StepFailures.translate(
                STEP, () -> HeartbeatPump.keepAlive(services.heartbeatEvery(), STEP, () -> run(input)));
    }

    private PairOutput run(PairInput input) {
        ArtifactStore store = services.runStores().forRun(input.run());
        List<ArtifactRef> inputs = new ArrayList<>(input.generations());
        inputs.addAll(input.judgements());
        String prefix = services.keys()
                .stepPrefix(
                        input.run(), input.iteration(), STEP, services.keys().inputKey(inputs, input.pairing()));
        // The summary is stored before the pairs, so stored pairs (whose bytes match their digest) mean a finished
        // step: a retry reuses them instead of writing them again, and a corrupt pairs file is computed again.
        String pairsKey = prefix + "/pairs.jsonl";
        String summaryKey = prefix + "/pair-summary.json";
        Optional<StoredOutput> finished = new FinishedOutputs(store, input.run()).recorded(STEP, pairsKey);
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
            return new PairOutput(
                    finished.get().ref(), services.json().read(store.readBytes(summaryKey), PairSummary.class));
        }
        Map<String, List<GenerationRow>> groups = GenerationGroups.read(services, input.generations());
        Map<String, JudgementRow> verdicts = new HashMap<>();
        for (ArtifactRef ref : input.judgements()) {
            for (JudgementRow row :
                    services.json().readJsonl(services.runStores().all().read(ref), JudgementRow.class)) {
                verdicts.put(row.promptId() + "#" + row.sampleIndex(), row);
            }
        }
        List<ScoredSample> samples = new ArrayList<>();
        for (List<GenerationRow> rows : groups.values()) {
            for (GenerationRow g : rows) {
                JudgementRow v = verdicts.get(g.promptId() + "#" + g.sampleIndex());
                if (v == null && !g.malformed()) {
                    throw StepFailures.invalidInput(
                            "sample " + g.sampleIndex() + " of prompt '" + g.promptId() + "' has no judgement");
                }
                double score = v == null || v.score() == null ? Double.NaN : v.score();
                samples.add(new ScoredSample(g.promptId(), g.sampleIndex(), g.malformed(), score, g.responseTokens()));
            }
        }
        PairSelection selection = new PairBuilder(
                        input.pairing().lengthControlRho(), input.pairing().malformedAsRejected())
                .select(samples);
        List<PairRow> rows = new ArrayList<>();
        for (SelectedPair p : selection.pairs()) {
            List<GenerationRow> byIndex = groups.get(p.promptId());
            GenerationRow chosen = sample(byIndex, p.chosenIndex());
            GenerationRow rejected = sample(byIndex, p.rejectedIndex());
            rows.add(new PairRow(
                    p.promptId(),
                    chosen.promptIds(),
                    chosen.completionIds(),
                    rejected.completionIds(),
                    chosen.prompt(),
                    chosen.output(),
                    rejected.output(),
                    p.chosenIndex(),
                    p.rejectedIndex(),
                    p.chosenScore(),
                    p.rejectedScore(),
                    p.rejectedMalformed(),
                    chosen.thought(),
                    chosen.response(),
                    rejected.thought(),
                    rejected.response(),
                    null,
                    null));
        }
        PairSummary summary = summary(selection.stats(), samples.size());
        store.putBytes(summaryKey, services.json().bytes(summary));
        ArtifactRef ref = store.putBytes(pairsKey, services.json().jsonl(rows));
        services.recorder().record(store, input.run(), ref, STEP, input.iteration(), null, StepKeys.digests(inputs));
        return new PairOutput(ref, summary);
    }

    private static GenerationRow sample(List<GenerationRow> rows, int index) {
        return rows.stream()
                .filter(r -> r.sampleIndex() == index)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("pair names sample " + index + " that is not there"));
    }

    static PairSummary summary(PairStats s, int samples) {
        return new PairSummary(
                s.promptsSeen(),
                s.pairsMade(),
                s.droppedAllTied(),
                s.droppedTooFewWellFormed(),
                s.malformedSamples(),
                samples,
                s.meanChosenLength(),
                s.meanRejectedLength(),
                s.meanScoreMargin());
    }
}
