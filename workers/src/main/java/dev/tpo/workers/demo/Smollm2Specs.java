package dev.tpo.workers.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tpo.api.spec.BaselineKind;
import dev.tpo.api.spec.JudgeType;
import dev.tpo.api.spec.ThoughtMode;
import dev.tpo.demo.arithmetic.ArithmeticSuite;
import java.nio.file.Path;

/** The run spec of one arm of the smollm2 demo: the same document a user would start from the Temporal UI. */
public final class Smollm2Specs {
    private final ObjectMapper json = new ObjectMapper();

    public ObjectNode spec(
            DemoArm arm, Smollm2Preset preset, Path seed, Path suiteDir, String artifactRoot, int evalPrompts) {
        Smollm2Preset.Iteration it = preset.iteration();
        ObjectNode spec = json.createObjectNode();
        spec.put("name", "demo-smollm2-" + arm.key());
        String seedUri = seed.toAbsolutePath().toUri().toString();
        spec.put("seed_policy", seedUri.endsWith("/") ? seedUri : seedUri + "/");
        spec.put(
                "train_prompts",
                suiteDir.resolve(ArithmeticSuite.TRAIN_FILE).toUri().toString());
        spec.put(
                "eval_prompts",
                suiteDir.resolve(ArithmeticSuite.EVAL_FILE).toUri().toString());
        spec.put("artifact_root", artifactRoot);
        spec.put("iterations", preset.iterations());
        spec.put("prompts_per_iteration", it.promptsPerIteration());
        spec.put("seed", preset.seed());
        // The paper's specific prompt word for word; the baseline answers the bare instruction.
        ThoughtMode mode = arm == DemoArm.TPO ? ThoughtMode.SPECIFIC : ThoughtMode.NONE;
        spec.putObject("thought").put("mode", mode.wireName());
        ObjectNode generation = spec.putObject("generation");
        generation.put("samples_per_prompt", it.samples());
        generation.put("temperature", it.temperature());
        generation.put("top_p", it.topP());
        generation.put("max_new_tokens", it.maxNewTokens());
        generation.put("batch_size", 64);
        ObjectNode judge = spec.putObject("judge");
        judge.put("type", JudgeType.VERIFIER.wireName());
        // A 135M model answers in sentences ("6 times 7 is 42."): the last number of the response is its answer.
        judge.put("verifier_mode", "numeric");
        // As in the paper: a malformed output may be the rejected sample, against the prompt's best well-formed
        // one. After the warm-up most samples are still malformed (measured: 107 of 128), so without this only a
        // handful of prompts have two well-formed samples the verifier tells apart (4 of 16).
        spec.putObject("pairing").put("malformed_as_rejected", true);
        ObjectNode dpo = spec.putObject("dpo");
        dpo.put("beta", it.dpoBeta());
        dpo.put("learning_rate", it.dpoLearningRate());
        dpo.put("num_train_epochs", it.dpoEpochs());
        // One pair per pass, accumulated to the batch: one LoRA DPO step on this model peaked at 13.4 GB RSS with
        // 4 pairs per pass and 4.4 GB with 1, at the same tokens/s (measured with tpo train dpo; issue 16 part 4).
        dpo.put("per_device_train_batch_size", 1);
        dpo.put("gradient_accumulation_steps", it.dpoBatchSize());
        dpo.put("warmup_ratio", 0.0);
        dpo.put("lr_scheduler_type", "linear");
        dpo.put("save_steps", 50);
        // LoRA keeps DPO's memory and time small on CPU: no AdamW moments or weight gradients for 135M weights.
        dpo.put("lora_r", it.loraR());
        dpo.put("lora_alpha", 2.0 * it.loraR());
        dpo.put("lora_dropout", 0.0);
        ArrayNode targets = dpo.putArray("lora_target_modules");
        Smollm2Preset.LORA_TARGETS.forEach(targets::add);
        ObjectNode evaluation = spec.putObject("evaluation");
        // Accuracy against each prompt's reference is the score; a baseline would only add a second answer pass.
        evaluation.put("baseline", BaselineKind.NONE.keyword());
        evaluation.put("max_prompts", evalPrompts);
        evaluation.put("max_new_tokens", it.maxNewTokens());
        // One shard: one model load, and the machine's cores go to one batch rather than two competing ones.
        ObjectNode shards = spec.putObject("shards");
        shards.put("generate", 1);
        shards.put("judge", 1);
        return spec;
    }
}
