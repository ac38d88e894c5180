package dev.tpo.activities;

import dev.tpo.activities.heartbeat.HeartbeatPump;
import dev.tpo.activities.heartbeat.ItemProgress;
import dev.tpo.activities.judging.JudgeFactory;
import dev.tpo.activities.judging.LoadedJudge;
import dev.tpo.activities.rows.GenerationGroups;
import dev.tpo.activities.rows.GenerationRow;
import dev.tpo.activities.rows.JudgementRow;
import dev.tpo.activities.storage.FinishedOutputs;
import dev.tpo.activities.storage.StepKeys;
import dev.tpo.activities.storage.StoredOutput;
import dev.tpo.api.ArtifactRef;
import dev.tpo.api.activities.JudgeActivity;
import dev.tpo.api.steps.JudgeInput;
import dev.tpo.api.steps.JudgeOutput;
import dev.tpo.artifacts.ArtifactStore;
import dev.tpo.method.judge.JudgeScores;
import dev.tpo.method.judge.JudgeTask;
import io.temporal.activity.Activity;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Scores the responses of some generation shards (never thoughts; malformed samples are never shown to the judge)
 * and writes one judgement row per sample.
 */
public final class JudgeStep implements JudgeActivity {
    static final String STEP = "judge";
    /** Prompts per judge call: small enough for steady heartbeats, large enough to batch a local judge. */
    private static final int TASKS_PER_CALL = 32;
    /** What the heartbeat details count. */
    static final String JUDGED = "prompts judged";

    private final StepServices services;
    private final JudgeFactory judges;

    JudgeStep(StepServices services) {
        this.services = services;
        this.judges = new JudgeFactory(services.models(), services.clock());
    }

    @Override
    public JudgeOutput judge(JudgeInput input) {
        return StepFailures.translateJudging(
                STEP, input.judge(), Activity.getExecutionContext().getInfo().getAttempt(), () -> run(input));
    }

    private JudgeOutput run(JudgeInput input) {
        long started = System.nanoTime();
        ArtifactStore store = services.runStores().forRun(input.run());
        List<ArtifactRef> inputs = new ArrayList<>(input.generations());
        inputs.add(input.judgeModel());
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("judge", input.judge());
        settings.put("shard", input.shard());
        String key = services.keys()
                        .stepPrefix(
                                input.run(),
                                input.iteration(),
                                STEP,
                                services.keys().inputKey(inputs, settings))
                + String.format("/judgements-%03d.jsonl", input.shard());
        Optional<StoredOutput> finished = new FinishedOutputs(store, input.run()).recorded(STEP, key);
        if (finished.isPresent()) {
            services.recorder()
                    .recordIfAbsent(
                            store,
                            input.run(),
                            finished.get().ref(),
                            STEP,
                            input.iteration(),
                            input.shard(),
                            StepKeys.digests(inputs));
            List<JudgementRow> rows = services.json().readJsonl(finished.get().bytes(), JudgementRow.class);
            int scored = (int) rows.stream().filter(r -> r.score() != null).count();
            return new JudgeOutput(finished.get().ref(), scored, rows.size() - scored, seconds(started), true);
        }
        Map<String, List<GenerationRow>> groups = GenerationGroups.read(services, input.generations());
        List<JudgeTask> tasks = new ArrayList<>();
        for (List<GenerationRow> samples : groups.values()) {
            GenerationRow first = samples.get(0);
            List<String> responses = new ArrayList<>();
            samples.forEach(s -> responses.add(s.malformed() ? null : s.response()));
            tasks.add(new JudgeTask(first.promptId(), first.prompt(), first.reference(), responses));
        }
        List<JudgementRow> rows = new ArrayList<>();
        int malformed = 0;
        // The pump first: a local judge model loads before the first call.
        try (HeartbeatPump pump = new HeartbeatPump(
                        Activity.getExecutionContext(),
                        services.heartbeatEvery(),
                        new ItemProgress(JUDGED, 0, tasks.size()));
                LoadedJudge judge = judges.open(input.judge(), input.judgeModel(), input.compute())) {
            for (int from = 0; from < tasks.size(); from += TASKS_PER_CALL) {
                List<JudgeTask> call = tasks.subList(from, Math.min(tasks.size(), from + TASKS_PER_CALL));
                List<JudgeScores> scores = judge.judge().score(call);
                for (int t = 0; t < call.size(); t++) {
                    List<GenerationRow> samples = groups.get(call.get(t).promptId());
                    rows.addAll(rowsOf(samples, scores.get(t)));
                    malformed += (int)
                            samples.stream().filter(GenerationRow::malformed).count();
                }
                pump.beat(new ItemProgress(JUDGED, from + call.size(), tasks.size()));
            }
        }
        ArtifactRef ref = store.putBytes(key, services.json().jsonl(rows));
        services.recorder()
                .record(store, input.run(), ref, STEP, input.iteration(), input.shard(), StepKeys.digests(inputs));
        int scored = (int) rows.stream().filter(r -> r.score() != null).count();
        return new JudgeOutput(ref, scored, malformed, seconds(started), false);
    }

    /**
     * One row per sample. A judge gives either one detail per response or its own list (a pairwise judge's games);
     * the latter is kept once, on the prompt's first row.
     */
    private static List<JudgementRow> rowsOf(List<GenerationRow> samples, JudgeScores scores) {
        double[] values = scores.scores();
        List<String> details = scores.details();
        boolean perResponse = details.size() == values.length;
        List<JudgementRow> rows = new ArrayList<>();
        for (int i = 0; i < samples.size(); i++) {
            String detail = perResponse
                    ? details.get(i)
                    : (i == 0 && !details.isEmpty() ? String.join("\n---\n", details) : null);
            double v = values[i];
            rows.add(new JudgementRow(
                    samples.get(i).promptId(), samples.get(i).sampleIndex(), Double.isNaN(v) ? null : v, detail));
        }
        return rows;
    }

    private static double seconds(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1e9;
    }
}
