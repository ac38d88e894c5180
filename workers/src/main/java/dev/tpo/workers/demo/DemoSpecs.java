package dev.tpo.workers.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tpo.api.spec.BaselineKind;
import dev.tpo.api.spec.JudgeType;
import dev.tpo.api.spec.ThoughtMode;
import dev.tpo.demo.synthetic.DemoPreset;
import dev.tpo.demo.synthetic.ThoughtFormat;
import dev.tpo.method.thought.ThoughtPrompt;
import java.nio.file.Path;

/** The run spec of one demo arm: the same document a user would start from the Temporal UI. */
public final class DemoSpecs {
    private final ObjectMapper json = new ObjectMapper();

    public ObjectNode spec(
            DemoArm arm, DemoPreset preset, Path seed, Path suiteDir, String artifactRoot, int evalPrompts) {
        DemoPreset.IterationSettings it = preset.iteration();
        ObjectNode spec = json.createObjectNode();
        spec.put("name", "demo-" + arm.key());
        String seedUri = seed.toAbsolutePath().toUri().toString();
        spec.put("seed_policy", seedUri.endsWith("/") ? seedUri : seedUri + "/");
        spec.put(
                "train_prompts", suiteDir.resolve("train-prompts.jsonl").toUri().toString());
        spec.put("eval_prompts", suiteDir.resolve("eval-prompts.jsonl").toUri().toString());
        spec.put("artifact_root", artifactRoot);
        spec.put("iterations", preset.iterations());
        spec.put("prompts_per_iteration", it.promptsPerIteration());
        spec.put("seed", preset.seed());
        spec.set("thought", thought(arm, preset));
        ObjectNode generation = spec.putObject("generation");
        generation.put("samples_per_prompt", it.samples());
        generation.put("temperature", it.temperature());
        generation.put("top_p", it.topP());
        generation.put("max_new_tokens", it.maxNewTokens());
        generation.put("batch_size", 64);
        ObjectNode judge = spec.putObject("judge");
        judge.put("type", JudgeType.VERIFIER.wireName());
        judge.put("verifier_mode", "exact");
        ObjectNode dpo = spec.putObject("dpo");
        dpo.put("beta", it.dpoBeta());
        dpo.put("learning_rate", it.dpoLearningRate());
        dpo.put("num_train_epochs", it.dpoEpochs());
        dpo.put("per_device_train_batch_size", it.dpoBatchSize());
        dpo.put("save_steps", 20);
        ObjectNode evaluation = spec.putObject("evaluation");
        // Accuracy against each prompt's reference is the score; a baseline would only add a second answer pass.
        evaluation.put("baseline", BaselineKind.NONE.keyword());
        evaluation.put("max_prompts", evalPrompts);
        evaluation.put("max_new_tokens", it.maxNewTokens());
        ObjectNode shards = spec.putObject("shards");
        shards.put("generate", 2);
        shards.put("judge", 1);
        return spec;
    }

    /** The thought prompt as the seed learnt it: the paper's text, or the shortened one with the same marker. */
    private ObjectNode thought(DemoArm arm, DemoPreset preset) {
        ObjectNode thought = json.createObjectNode();
        ThoughtFormat format = preset.iteration().thoughtFormat();
        if (arm == DemoArm.DRB || format == ThoughtFormat.NONE) {
            thought.put("mode", ThoughtMode.NONE.wireName());
        } else if (preset.suite().paperPromptText()) {
            thought.put("mode", format.mode().wireName());
        } else {
            ThoughtPrompt shortened = format.prompt(false);
            thought.put("mode", shortened.mode().wireName());
            thought.put("template", shortened.template());
            thought.put("response_marker", shortened.responseMarker());
        }
        return thought;
    }
}
