package dev.tpo.workers.load;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tpo.demo.synthetic.CharTokenizer;
import dev.tpo.model.CausalLm;
import dev.tpo.model.Compute;
import dev.tpo.model.ModelConfig;
import dev.tpo.model.ModelFolder;
import dev.tpo.model.ModelInitializer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A one-iteration run over a random Llama with the character tokenizer, sized for load and scale-out measurements
 * on CPU: every step runs (baseline answers, the seed's evaluation, select, generate, judge, pair, reference
 * log-probs, DPO, answer, evaluate, reports), each with as little model work as the shape asks for.
 *
 * @param hidden         the model's hidden size (intermediate is twice that, 4 heads)
 * @param layers         decoder layers
 * @param prompts        prompts per iteration
 * @param samples        samples per prompt (K)
 * @param maxNewTokens   tokens per sample
 * @param generateShards generate activities per iteration
 * @param judgeShards    judge activities per iteration
 * @param besideWork     whether the baseline answers and the seed's evaluation run (beside iteration 1)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record TinyRunSpec(
        int hidden,
        int layers,
        int prompts,
        int samples,
        int maxNewTokens,
        int generateShards,
        int judgeShards,
        boolean besideWork) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The load test's run: two generate shards so that fan-out is exercised, otherwise the least work there is. */
    public static TinyRunSpec smallest() {
        return new TinyRunSpec(64, 2, 4, 4, 16, 2, 1, true);
    }

    /**
     * The scale-out measurement's run: enough generation per shard (a few seconds on one CPU thread) that model
     * loading and hand-offs do not hide the workers' parallelism; no baseline or seed evaluation, whose answers
     * would take a GPU worker away from generation.
     */
    public static TinyRunSpec scaleOut(int shards) {
        return new TinyRunSpec(512, 4, 16 * shards, 4, 96, shards, shards, false);
    }

    /** Samples generated (and judged) per iteration. */
    public int samplesPerIteration() {
        return prompts * samples;
    }

    /** Writes the seed model and the prompt sets under {@code dir} and returns a spec that reads them. */
    public ObjectNode writeInputs(Path dir) throws IOException {
        Path tokenizer = dir.resolve("tokenizer");
        CharTokenizer.write(tokenizer);
        Path seed = dir.resolve("seed");
        ModelConfig config = ModelConfig.llama(CharTokenizer.vocabSize(), hidden, 2 * hidden, layers, 4, 4, 256);
        try (CausalLm model = ModelInitializer.random(config, 5, Compute.cpu())) {
            ModelFolder.save(model, seed, tokenizer);
        }
        StringBuilder train = new StringBuilder();
        for (int i = 0; i < prompts; i++) {
            train.append(String.format(
                    Locale.ROOT, "{\"id\":\"t%d\",\"prompt\":\"Say a letter, %d.\",\"reference\":\"a\"}%n", i, i));
        }
        Files.writeString(dir.resolve("train.jsonl"), train);
        Files.writeString(
                dir.resolve("eval.jsonl"), "{\"id\":\"e0\",\"prompt\":\"Say a letter.\",\"reference\":\"a\"}\n");

        ObjectNode spec = JSON.createObjectNode();
        spec.put("name", "load");
        spec.put("seed_policy", seed.toUri().toString());
        spec.put("train_prompts", dir.resolve("train.jsonl").toUri().toString());
        spec.put("eval_prompts", dir.resolve("eval.jsonl").toUri().toString());
        spec.put("iterations", 1);
        spec.put("prompts_per_iteration", prompts);
        // Short enough that a step whose worker died moves on within the test; long enough that live workers on a
        // machine at load 10+ still heartbeat in time (DurabilityHarness measured 4 s as too short there).
        spec.put("heartbeat_timeout_seconds", 30);
        spec.putObject("thought").put("mode", "none");
        ObjectNode generation = spec.putObject("generation");
        generation.put("samples_per_prompt", samples);
        generation.put("max_new_tokens", maxNewTokens);
        generation.put("batch_size", samples * 4);
        // A random model answers at random: the first of a..e in each response makes scores differ, so there are
        // pairs and DPO runs.
        ObjectNode judge = spec.putObject("judge");
        judge.put("verifier_mode", "regex");
        judge.put("verifier_regex", "([a-e])");
        ObjectNode dpo = spec.putObject("dpo");
        dpo.put("learning_rate", 1e-4);
        dpo.put("per_device_train_batch_size", 2);
        ObjectNode evaluation = spec.putObject("evaluation");
        evaluation.put("max_new_tokens", 8);
        if (!besideWork) {
            evaluation.put("baseline", "none");
            evaluation.put("evaluate_seed", false);
        }
        ObjectNode shards = spec.putObject("shards");
        shards.put("generate", generateShards);
        shards.put("judge", judgeShards);
        return spec;
    }
}
