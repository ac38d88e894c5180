package dev.tpo.activities;

import dev.tpo.api.ArtifactRef;
import dev.tpo.api.activities.PrepareRunActivity;
import dev.tpo.api.spec.RunSpec;
import dev.tpo.api.steps.PrepareRunInput;
import dev.tpo.api.steps.RunInputs;
import dev.tpo.artifacts.ArtifactStore;
import dev.tpo.method.prompts.PromptItem;
import java.util.List;

/**
 * Checks every input of a run before any GPU work (model folders parse, prompt files parse, a verifier has a
 * reference for every prompt) and pins each by digest, so every later step reads exactly what was checked.
 */
public final class PrepareRunStep implements PrepareRunActivity {
    static final String STEP = "prepare";
    private final StepServices services;

    PrepareRunStep(StepServices services) {
        this.services = services;
    }

    @Override
    public RunInputs prepareRun(PrepareRunInput input) {
        return StepFailures.translate(STEP, () -> HeartbeatPump.keepAlive(services.heartbeatEvery(), STEP,
                () -> run(input)));
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
            InputPins.PinnedPrompts train = pins.prompts("train_prompts", spec.trainPrompts(), scratch.path());
            InputPins.PinnedPrompts eval = pins.prompts("eval_prompts", spec.evalPrompts(), scratch.path());
            if (spec.judge().type().equals("verifier")) {
                requireReferences("train_prompts", spec.trainPrompts(), train);
                requireReferences("eval_prompts", spec.evalPrompts(), eval);
            }
            ArtifactRef seed = pins.modelFolder("seed_policy", spec.seedPolicy(), scratch.path());
            ArtifactRef judgeModel = spec.judge().needsLocalModel()
                    ? pins.modelFolder("judge_model", spec.judge().model(), scratch.path()) : null;
            String baseline = spec.evaluation().baseline();
            ArtifactRef baselineModel = baseline.equals("seed") || baseline.equals("none")
                    ? null : pins.modelFolder("baseline_model", baseline, scratch.path());
            RunInputs inputs = new RunInputs(seed, train.ref(), eval.ref(), train.items().size(),
                    eval.items().size(), judgeModel, baselineModel);
            for (ArtifactRef ref : new ArtifactRef[] {seed, train.ref(), eval.ref(), judgeModel, baselineModel}) {
                if (ref != null) {
                    services.recorder().record(store, input.run(), ref, STEP, 0, null, List.of());
                }
            }
            store.putBytes(preparedKey, services.json().bytes(inputs));
            return inputs;
        }
    }

    private static void requireReferences(String field, String uri, InputPins.PinnedPrompts prompts) {
        List<PromptItem> items = prompts.items();
        for (int i = 0; i < items.size(); i++) {
            String reference = items.get(i).reference();
            if (reference == null || reference.isBlank()) {
                throw StepFailures.invalidInput(field + ": " + uri + ":" + prompts.lines().get(i) + ": prompt '"
                        + items.get(i).id() + "' has no reference, which the verifier judge needs on every prompt");
            }
        }
    }
}
