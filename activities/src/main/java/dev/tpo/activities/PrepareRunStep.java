package dev.tpo.activities;

import dev.tpo.activities.heartbeat.HeartbeatPump;
import dev.tpo.activities.policy.ThoughtPrompts;
import dev.tpo.activities.storage.InputPins;
import dev.tpo.activities.storage.ScratchDir;
import dev.tpo.api.ArtifactRef;
import dev.tpo.api.activities.PrepareRunActivity;
import dev.tpo.api.spec.BaselineKind;
import dev.tpo.api.spec.JudgeType;
import dev.tpo.api.spec.RunSpec;
import dev.tpo.api.steps.PrepareRunInput;
import dev.tpo.api.steps.RunInputs;
import dev.tpo.artifacts.ArtifactStore;
import dev.tpo.method.prompts.PromptItem;
import dev.tpo.method.thought.ThoughtPrompt;
import java.util.List;

/**
 * Checks every input of a run before any GPU work (model folders: config, tokenizer, chat template and weights'
 * headers against the config; prompt files parse, ids are unique, every prompt fits the policy's context, a verifier
 * has a reference for every prompt), then pins each by digest, so every later step reads exactly what was checked.
 * A rejected run writes nothing.
 */
public final class PrepareRunStep implements PrepareRunActivity {
    static final String STEP = "prepare";
    private final StepServices services;

    PrepareRunStep(StepServices services) {
        this.services = services;
    }

    @Override
    public RunInputs prepareRun(PrepareRunInput input) {
        return StepFailures.translate(
                STEP, () -> HeartbeatPump.keepAlive(services.heartbeatEvery(), STEP, () -> run(input)));
    }

    private RunInputs run(PrepareRunInput input) {
        RunSpec spec = input.spec();
        ArtifactStore store = services.runStores().forRun(input.run());
        String inputsPrefix = input.run().runPrefix() + "inputs";
        String preparedKey = inputsPrefix + "/run-inputs.json";
        if (store.find(preparedKey).isPresent()) {
            return services.json().read(store.readBytes(preparedKey), RunInputs.class);
        }
        InputPins pins = new InputPins(services.runStores().all(), store, inputsPrefix, services.json());
        try (ScratchDir scratch = services.scratch(STEP)) {
            // Every check before the first write: a rejected run leaves nothing behind.
            InputPins.CheckedPrompts train = pins.checkPrompts("train_prompts", spec.trainPrompts(), scratch.path());
            InputPins.CheckedPrompts eval = pins.checkPrompts("eval_prompts", spec.evalPrompts(), scratch.path());
            if (spec.judge().type() == JudgeType.VERIFIER) {
                requireReferences(train);
                requireReferences(eval);
            }
            InputPins.CheckedModel seed = pins.checkModel("seed_policy", spec.seedPolicy(), true, scratch.path());
            InputPins.CheckedModel judgeModel = spec.judge().needsLocalModel()
                    ? pins.checkModel(
                            "judge_model",
                            spec.judge().model(),
                            spec.judge().type() == JudgeType.PAIRWISE_LLM,
                            scratch.path())
                    : null;
            String baseline = spec.evaluation().baseline();
            InputPins.CheckedModel baselineModel = spec.evaluation().baselineKind() != BaselineKind.MODEL
                    ? null
                    : pins.checkModel("baseline_model", baseline, true, scratch.path());
            ThoughtPrompt thought = ThoughtPrompts.of(spec.thought());
            pins.checkContext(List.of(train, eval), seed, thought);

            RunInputs inputs = new RunInputs(
                    pins.pin(seed, scratch.path()),
                    pins.pin(train),
                    pins.pin(eval),
                    train.items().size(),
                    eval.items().size(),
                    judgeModel == null ? null : pins.pin(judgeModel, scratch.path()),
                    baselineModel == null ? null : pins.pin(baselineModel, scratch.path()));
            for (ArtifactRef ref : new ArtifactRef[] {
                inputs.seedPolicy(),
                inputs.trainPrompts(),
                inputs.evalPrompts(),
                inputs.judgeModel(),
                inputs.baselineModel()
            }) {
                if (ref != null) {
                    services.recorder().record(store, input.run(), ref, STEP, 0, null, List.of());
                }
            }
            store.putBytes(preparedKey, services.json().bytes(inputs));
            return inputs;
        }
    }

    private static void requireReferences(InputPins.CheckedPrompts prompts) {
        List<PromptItem> items = prompts.items();
        for (int i = 0; i < items.size(); i++) {
            String reference = items.get(i).reference();
            if (reference == null || reference.isBlank()) {
                throw StepFailures.invalidInput(prompts.field() + ": " + prompts.uri() + ":"
                        + prompts.lines().get(i) + ": prompt '" + items.get(i).id()
                        + "' has no reference, which the verifier judge needs on every prompt");
            }
        }
    }
}
