package dev.tpo.activities.judging;

import dev.tpo.activities.StepFailures;
import dev.tpo.activities.StepServices;
import dev.tpo.activities.heartbeat.HeartbeatPump;
import dev.tpo.activities.heartbeat.ItemProgress;
import dev.tpo.activities.rows.AnswerRow;
import dev.tpo.activities.storage.StepKeys;
import dev.tpo.api.ArtifactRef;
import dev.tpo.api.steps.EvalOutput;
import dev.tpo.api.steps.EvalResult;
import dev.tpo.api.steps.EvaluateInput;
import dev.tpo.artifacts.ArtifactStore;
import dev.tpo.method.eval.AlpacaEvalExport;
import dev.tpo.method.eval.AnswerSide;
import dev.tpo.method.eval.ArenaHardExport;
import dev.tpo.method.eval.CategoryResult;
import dev.tpo.method.eval.EvalItem;
import dev.tpo.method.eval.EvalSummary;
import dev.tpo.method.eval.Evaluation;
import dev.tpo.method.eval.ScoreKind;
import io.temporal.activity.Activity;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The judging half of evaluation: the policy's responses against the baseline's (or alone), with per-prompt
 * judgements, the summary, and AlpacaEval and Arena-Hard exports of the policy's responses beside them.
 */
public final class EvalJudging {
    public static final String STEP = "evaluate";
    /** What the heartbeat details count. */
    public static final String JUDGED = "prompts judged";
    /**
     * Comparisons per judge call: a heartbeat with progress after each, and enough at once to keep an endpoint's
     * concurrent requests (8 by default) busy.
     */
    private static final int COMPARISONS_PER_CALL = 64;

    private final StepServices services;
    private final JudgeFactory judges;

    public EvalJudging(StepServices services) {
        this.services = services;
        this.judges = new JudgeFactory(services.models(), services.clock());
    }

    /**
     * Judges the eval set with the progress (prompts judged of those the judge sees) in the heartbeat details. The
     * pump starts first: reading the answers and loading a local judge model are heartbeated too.
     */
    public EvalOutput evaluate(EvaluateInput input) {
        try (HeartbeatPump pump = new HeartbeatPump(
                Activity.getExecutionContext(), services.heartbeatEvery(), new ItemProgress(JUDGED, 0, 0))) {
            return evaluate(input, pump);
        }
    }

    private EvalOutput evaluate(EvaluateInput input, HeartbeatPump pump) {
        long started = System.nanoTime();
        ArtifactStore store = services.runStores().forRun(input.run());
        List<ArtifactRef> inputs = new ArrayList<>();
        inputs.add(input.policyAnswers());
        inputs.add(input.baselineAnswers());
        inputs.add(input.judgeModel());
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("judge", input.judge());
        settings.put("evaluation", input.evaluation());
        String prefix = services.keys()
                .stepPrefix(
                        input.run(), input.iteration(), STEP, services.keys().inputKey(inputs, settings));
        String outputKey = prefix + "/eval-output.json";
        if (store.find(outputKey).isPresent()) {
            EvalOutput done = services.json().read(store.readBytes(outputKey), EvalOutput.class);
            return new EvalOutput(done.judgements(), done.summary(), done.result(), seconds(started));
        }
        List<EvalItem> items = items(input);
        dev.tpo.method.eval.JudgedEvaluation judged;
        try (LoadedJudge judge = judges.open(input.judge(), input.judgeModel(), input.compute())) {
            judged = Evaluation.withJudge(judge.judge())
                    .judge(
                            items,
                            COMPARISONS_PER_CALL,
                            (done, total) -> pump.beat(new ItemProgress(JUDGED, done, total)));
        }
        List<String> digests = StepKeys.digests(inputs);
        ArtifactRef judgements = store.putBytes(
                prefix + "/eval-judgements.jsonl", services.json().jsonl(judged.judgements()));
        ArtifactRef summary =
                store.putBytes(prefix + "/eval-summary.json", services.json().prettyBytes(judged.summary()));
        ArtifactRef alpaca = store.putBytes(
                prefix + "/alpaca-eval.json",
                AlpacaEvalExport.render(items, AnswerSide.POLICY, generator(input))
                        .getBytes(StandardCharsets.UTF_8));
        ArtifactRef arena = store.putBytes(
                prefix + "/arena-hard.jsonl",
                ArenaHardExport.render(
                                items,
                                AnswerSide.POLICY,
                                generator(input),
                                services.clock().instant())
                        .getBytes(StandardCharsets.UTF_8));
        for (ArtifactRef ref : List.of(judgements, summary, alpaca, arena)) {
            services.recorder().record(store, input.run(), ref, STEP, input.iteration(), null, digests);
        }
        EvalOutput output = new EvalOutput(
                judgements, summary, result(judged.summary(), input.baselineAnswers() != null), seconds(started));
        store.putBytes(outputKey, services.json().bytes(output));
        return output;
    }

    private List<EvalItem> items(EvaluateInput input) {
        List<AnswerRow> policy =
                services.json().readJsonl(services.runStores().all().read(input.policyAnswers()), AnswerRow.class);
        Map<String, AnswerRow> baseline = new HashMap<>();
        if (input.baselineAnswers() != null) {
            for (AnswerRow row : services.json()
                    .readJsonl(services.runStores().all().read(input.baselineAnswers()), AnswerRow.class)) {
                baseline.put(row.promptId(), row);
            }
        }
        List<EvalItem> items = new ArrayList<>();
        for (AnswerRow p : policy) {
            AnswerRow b = baseline.get(p.promptId());
            if (input.baselineAnswers() != null && b == null) {
                throw StepFailures.invalidInput("eval prompt '" + p.promptId() + "' has no baseline answer in "
                        + input.baselineAnswers().uri());
            }
            // Without a baseline the judge only scores; a blank baseline is never shown to it.
            String baselineResponse = b == null || b.malformed() ? "" : b.response();
            items.add(new EvalItem(
                    p.promptId(),
                    p.category(),
                    p.prompt(),
                    p.reference(),
                    p.thought(),
                    p.response(),
                    p.malformed(),
                    baselineResponse));
        }
        return items;
    }

    private static String generator(EvaluateInput input) {
        return input.run().runId() + "-iter-" + input.iteration();
    }

    static EvalResult result(EvalSummary s, boolean hasBaseline) {
        boolean accuracy = s.scoreKind() == ScoreKind.ACCURACY;
        // Per category, the same measure as the score: accuracy for a verifier judge, else the win rate.
        Map<String, Double> perCategory = new LinkedHashMap<>();
        for (Map.Entry<String, CategoryResult> e : s.perCategory().entrySet()) {
            CategoryResult c = e.getValue();
            perCategory.put(e.getKey(), accuracy && c.accuracy() != null ? c.accuracy() : c.winRate());
        }
        return new EvalResult(
                s.n(),
                s.scoreKind().wireName(),
                s.score(),
                hasBaseline ? s.winRate() : null,
                hasBaseline ? s.lcWinRate() : null,
                accuracy ? s.policyAccuracy() : null,
                s.malformedRate(),
                s.meanThoughtChars(),
                s.meanResponseChars(),
                perCategory);
    }

    private static double seconds(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1e9;
    }
}
