package dev.tpo.activities;

import dev.tpo.activities.heartbeat.HeartbeatPump;
import dev.tpo.activities.heartbeat.ItemProgress;
import dev.tpo.activities.policy.PolicySession;
import dev.tpo.activities.policy.ThoughtPrompts;
import dev.tpo.activities.rows.AnswerRow;
import dev.tpo.activities.storage.FinishedOutputs;
import dev.tpo.activities.storage.ScratchDir;
import dev.tpo.activities.storage.StepKeys;
import dev.tpo.activities.storage.StoredOutput;
import dev.tpo.api.ArtifactRef;
import dev.tpo.api.activities.AnswerActivity;
import dev.tpo.api.spec.EvalSettings;
import dev.tpo.api.steps.AnswerInput;
import dev.tpo.api.steps.AnswerOutput;
import dev.tpo.artifacts.ArtifactStore;
import dev.tpo.method.prompts.PromptItem;
import dev.tpo.method.prompts.PromptSet;
import dev.tpo.method.thought.ParsedOutput;
import dev.tpo.method.thought.ThoughtPrompt;
import dev.tpo.model.generate.Generation;
import dev.tpo.model.generate.SamplingParams;
import io.temporal.activity.Activity;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A model answers the eval prompts (greedy at temperature 0) under a thought mode; the answer half of evaluation
 * (the judging half is {@link EvaluateStep}). It needs the policy, so the workflow runs it on the GPU queue.
 */
public final class AnswerStep implements AnswerActivity {
    static final String STEP = "answer";
    /** Rows decoded together: eval prompts get one sample each. */
    private static final int BATCH_ROWS = 16;
    /** What the heartbeat details count. */
    static final String ANSWERED = "prompts answered";

    private final StepServices services;

    AnswerStep(StepServices services) {
        this.services = services;
    }

    @Override
    public AnswerOutput answer(AnswerInput input) {
        return StepFailures.translate(STEP, () -> run(input));
    }

    private AnswerOutput run(AnswerInput input) {
        long started = System.nanoTime();
        ArtifactStore store = services.runStores().forRun(input.run());
        List<ArtifactRef> inputs = List.of(input.model(), input.evalPrompts());
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("label", input.label());
        settings.put("thought", input.thought());
        settings.put("evaluation", input.evaluation());
        settings.put("seed", input.seed());
        String key = services.keys()
                        .stepPrefix(
                                input.run(),
                                input.iteration(),
                                STEP,
                                services.keys().inputKey(inputs, settings))
                + "/answers-" + input.label() + ".jsonl";
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
            List<AnswerRow> rows = services.json().readJsonl(finished.get().bytes(), AnswerRow.class);
            return new AnswerOutput(
                    finished.get().ref(),
                    rows.size(),
                    (int) rows.stream().filter(AnswerRow::malformed).count(),
                    seconds(started),
                    true);
        }
        List<PromptItem> prompts;
        try (ScratchDir scratch = services.scratch(STEP)) {
            prompts = PromptSet.read(
                    services.runStores().all().fetch(input.evalPrompts(), scratch.resolve("eval.jsonl")));
        }
        EvalSettings eval = input.evaluation();
        if (eval.maxPrompts() > 0 && prompts.size() > eval.maxPrompts()) {
            prompts = prompts.subList(0, eval.maxPrompts());
        }
        ThoughtPrompt thought = ThoughtPrompts.of(input.thought());
        List<AnswerRow> rows = new ArrayList<>();
        // The pump first, so fetching and loading the model are heartbeated too.
        try (HeartbeatPump pump = new HeartbeatPump(
                        Activity.getExecutionContext(),
                        services.heartbeatEvery(),
                        new ItemProgress(ANSWERED, 0, prompts.size()));
                PolicySession session = PolicySession.open(
                        services.models().folder(input.model()), input.compute(), services.clock())) {
            List<int[]> ids = new ArrayList<>();
            for (PromptItem p : prompts) {
                ids.add(session.chatPrompt(thought.wrap(p.prompt())));
            }
            SamplingParams params = eval.temperature() == 0
                    ? SamplingParams.greedy(eval.maxNewTokens(), session.eosTokenIds())
                    : new SamplingParams(
                            eval.temperature(),
                            1.0,
                            0,
                            eval.maxNewTokens(),
                            session.eosTokenIds(),
                            List.of(),
                            1,
                            input.seed());
            int total = prompts.size();
            pump.beat(new ItemProgress(ANSWERED, 0, total));
            List<Generation> generations = session.sample(
                    ids, 0, params, BATCH_ROWS, (done, tokens) -> pump.update(new ItemProgress(ANSWERED, done, total)));
            for (Generation g : generations) {
                PromptItem p = prompts.get(g.promptIndex());
                String output = session.decode(g.tokens());
                ParsedOutput parsed = thought.parse(output);
                rows.add(new AnswerRow(
                        p.id(),
                        p.category(),
                        p.prompt(),
                        p.reference(),
                        output,
                        parsed.thought(),
                        parsed.response(),
                        parsed.malformed()));
            }
        }
        ArtifactRef ref = store.putBytes(key, services.json().jsonl(rows));
        services.recorder().record(store, input.run(), ref, STEP, input.iteration(), null, StepKeys.digests(inputs));
        return new AnswerOutput(
                ref,
                rows.size(),
                (int) rows.stream().filter(AnswerRow::malformed).count(),
                seconds(started),
                false);
    }

    private static double seconds(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1e9;
    }
}
