package dev.tpo.workers.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tpo.api.spec.ThoughtMode;
import dev.tpo.method.prompts.PromptItem;
import dev.tpo.method.thought.ParsedOutput;
import dev.tpo.method.thought.ThoughtPrompt;
import dev.tpo.model.CausalLm;
import dev.tpo.model.Compute;
import dev.tpo.model.LoraSpec;
import dev.tpo.model.ModelFolder;
import dev.tpo.model.TokenIds;
import dev.tpo.model.generate.Generation;
import dev.tpo.model.generate.Generator;
import dev.tpo.model.generate.SamplingParams;
import dev.tpo.model.tokenizer.ChatMessage;
import dev.tpo.model.tokenizer.ModelTokenizer;
import dev.tpo.train.LrSchedulerType;
import dev.tpo.train.SftConfig;
import dev.tpo.train.SftExample;
import dev.tpo.train.SftTrainer;
import dev.tpo.train.TrainingConfig;
import dev.tpo.train.TrainingListener;
import dev.tpo.train.TrainingRun;
import dev.tpo.train.TrainingSummary;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The smollm2 demo's seed: SmolLM2-135M-Instruct taught the specific thought prompt's format and nothing else.
 *
 * <p>Why: the paper's seed (Llama-3-8B-Instruct) follows the thought prompt; SmolLM2-135M-Instruct does not. Of 120
 * samples (15 arithmetic prompts x 8, temperature 0.8, 160 tokens) none wrote {@code <R>}, so every output is
 * malformed, no prompt gets a pair, and TPO cannot start. The warm-up uses only the model's own words: for each
 * warm-up instruction (never a train or eval one) it samples a thought under the thought prompt and the greedy
 * direct answer, and trains (LoRA SFT) on {@code thought + "\n\n<R> " + answer} (a thought cut off by the token
 * limit is kept up to its last whole sentence; an answer must end by itself). No reference answer is read and
 * no sample is picked for being right, so the seed learns where the marker goes, not the arithmetic; the direct
 * answer after the marker keeps its accuracy where it was. Both arms start from this seed.
 *
 * <p>Made once per cache key and kept under the demo cache with the examples it trained on.
 */
public final class FormatWarmup {
    /** Part of the cache key: changes whenever the examples the warm-up builds change. */
    public static final String VERSION = "self-distilled-2";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path cacheDir;
    private final TrainingListener progress;
    private final PrintWriter log;

    /** @param facts what the warm-up measured and did (for the report) */
    public record Result(Path seed, Map<String, Object> facts) {}

    public FormatWarmup(Path cacheDir, TrainingListener progress, PrintWriter log) {
        this.cacheDir = cacheDir;
        this.progress = progress;
        this.log = log;
    }

    /** The cached warmed seed for the key, made now if absent (or if {@code redo}). */
    public Result ensure(
            Smollm2Preset preset, Path baseModel, List<PromptItem> prompts, String cacheKey, boolean redo) {
        Path seed = cacheDir.resolve("seed-" + cacheKey);
        Path factsFile = cacheDir.resolve("seed-" + cacheKey + ".json");
        try {
            if (!redo && Files.isRegularFile(seed.resolve("model.safetensors")) && Files.isRegularFile(factsFile)) {
                @SuppressWarnings("unchecked")
                Map<String, Object> facts = JSON.readValue(factsFile.toFile(), LinkedHashMap.class);
                return new Result(seed, facts);
            }
            long started = System.nanoTime();
            Path work = cacheDir.resolve(".seed-" + cacheKey + ".tmp");
            DemoFiles.deleteTree(work);
            Files.createDirectories(work);
            Map<String, Object> facts = new LinkedHashMap<>();
            List<SftExample> examples = examples(preset, baseModel, prompts, work, facts);
            if (examples.isEmpty()) {
                throw new IllegalStateException("format warm-up: none of the " + prompts.size() + " warm-up "
                        + "instructions gave a thought with a whole sentence and a direct answer that ended within "
                        + "the token limits (" + preset.warmup().thoughtTokens() + " / "
                        + preset.warmup().answerTokens() + ")");
            }
            TrainingSummary summary = train(preset, baseModel, examples, work.resolve("sft"));
            DemoFiles.deleteCheckpoints(work.resolve("sft"));
            facts.put("warmup_sft_steps", summary.globalStep());
            facts.put("warmup_seconds", Math.round((System.nanoTime() - started) / 1e8) / 10.0);
            DemoFiles.deleteTree(seed);
            Files.move(work.resolve("sft"), seed, StandardCopyOption.ATOMIC_MOVE);
            Files.move(
                    work.resolve("examples.jsonl"),
                    cacheDir.resolve("seed-" + cacheKey + "-examples.jsonl"),
                    StandardCopyOption.REPLACE_EXISTING);
            JSON.writerWithDefaultPrettyPrinter().writeValue(factsFile.toFile(), facts);
            DemoFiles.deleteTree(work);
            return new Result(seed, facts);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make the warmed seed under " + cacheDir + ": " + e.getMessage(), e);
        }
    }

    /** Samples the base model's thoughts and direct answers and pairs them into SFT examples. */
    private List<SftExample> examples(
            Smollm2Preset preset, Path baseModel, List<PromptItem> prompts, Path work, Map<String, Object> facts)
            throws IOException {
        Smollm2Preset.Warmup w = preset.warmup();
        ThoughtPrompt thought = ThoughtPrompt.of(ThoughtMode.SPECIFIC, null, null);
        List<SftExample> out = new ArrayList<>();
        List<Map<String, Object>> written = new ArrayList<>();
        try (ModelTokenizer tokenizer = ModelTokenizer.open(baseModel);
                CausalLm model = ModelFolder.load(baseModel, Compute.cpu())) {
            Set<Integer> eos = new LinkedHashSet<>();
            tokenizer.eosTokenIds().forEach(id -> eos.add(Math.toIntExact(id)));
            List<int[]> thoughtPrompts = new ArrayList<>();
            List<int[]> directPrompts = new ArrayList<>();
            for (PromptItem p : prompts) {
                thoughtPrompts.add(chat(tokenizer, thought.wrap(p.prompt())));
                directPrompts.add(chat(tokenizer, p.prompt()));
            }
            Generator generator = new Generator(model, ids -> decode(tokenizer, ids), 64);
            log.printf(
                    Locale.ROOT,
                    "warm-up: sampling %d x %d thoughts and %d direct answers from %s%n",
                    prompts.size(),
                    w.samples(),
                    prompts.size(),
                    baseModel);
            log.flush();
            List<Generation> thoughts = generator.generate(
                    thoughtPrompts,
                    0,
                    new SamplingParams(
                            preset.iteration().temperature(),
                            preset.iteration().topP(),
                            0,
                            w.thoughtTokens(),
                            eos,
                            List.of(),
                            w.samples(),
                            preset.seed()),
                    (done, tokens) -> {});
            List<Generation> answers = generator.generate(directPrompts, SamplingParams.greedy(w.answerTokens(), eos));
            int wellFormed = 0;
            for (Generation g : thoughts) {
                if (!thought.parse(decode(tokenizer, g.tokens())).malformed()) {
                    wellFormed++;
                }
            }
            facts.put("raw_seed_thought_samples", thoughts.size());
            facts.put("raw_seed_well_formed", wellFormed);
            for (int i = 0; i < prompts.size(); i++) {
                String answer = finishedText(tokenizer, answers.get(i));
                String thoughtText = firstThought(tokenizer, thought, thoughts, i);
                if (answer == null || thoughtText == null) {
                    continue;
                }
                String completion = thoughtText + "\n\n" + thought.responseMarker() + " " + answer;
                int[] body = TokenIds.toInts(tokenizer.encode(completion, false));
                int[] ids = Arrays.copyOf(body, body.length + 1);
                ids[body.length] = Math.toIntExact(tokenizer.eosTokenIds().get(0));
                out.add(new SftExample(thoughtPrompts.get(i), ids));
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("id", prompts.get(i).id());
                row.put("instruction", prompts.get(i).prompt());
                row.put("completion", completion);
                written.add(row);
            }
        }
        facts.put("warmup_examples", out.size());
        StringBuilder lines = new StringBuilder();
        for (Map<String, Object> row : written) {
            lines.append(JSON.writeValueAsString(row)).append('\n');
        }
        Files.writeString(work.resolve("examples.jsonl"), lines);
        return out;
    }

    private TrainingSummary train(Smollm2Preset preset, Path baseModel, List<SftExample> examples, Path out) {
        Smollm2Preset.Warmup w = preset.warmup();
        // One example per pass, accumulated to the batch, for memory (see Smollm2Specs on DPO).
        TrainingConfig training = new TrainingConfig(
                w.learningRate(),
                1,
                w.batchSize(),
                w.epochs(),
                0,
                0.0,
                0,
                LrSchedulerType.LINEAR,
                0.0,
                0.9,
                0.999,
                1e-8,
                1.0,
                preset.seed(),
                1,
                0);
        LoraSpec lora = LoraSpec.of(w.loraR(), 2.0 * w.loraR(), 0.0, Smollm2Preset.LORA_TARGETS);
        log.printf(
                Locale.ROOT,
                "warm-up: LoRA SFT (r %d) on %d examples, %d epochs%n",
                w.loraR(),
                examples.size(),
                w.epochs());
        log.flush();
        try (CausalLm model = ModelFolder.load(baseModel, Compute.cpu(), lora, preset.seed())) {
            return new SftTrainer(new SftConfig(training), progress)
                    .train(model, examples, new TrainingRun(out, baseModel, null));
        }
    }

    /** The text of a sample that ended with end-of-sequence, or null (cut-off text would teach stopping mid-way). */
    private static String finishedText(ModelTokenizer tokenizer, Generation g) {
        if (!"eos".equals(g.finishReason())) {
            return null;
        }
        String text = decode(tokenizer, g.tokens()).strip();
        return text.isEmpty() ? null : text;
    }

    /**
     * The prompt's first usable thought sample, without any marker it wrote itself. A sample cut off by the token
     * limit is kept up to its last full sentence or line (most of this model's thoughts run past a short limit,
     * and a thought that ends on a whole sentence teaches nothing about stopping mid-way).
     */
    private static String firstThought(
            ModelTokenizer tokenizer, ThoughtPrompt thought, List<Generation> thoughts, int promptIndex) {
        for (Generation g : thoughts) {
            if (g.promptIndex() != promptIndex) {
                continue;
            }
            String text = decode(tokenizer, g.tokens()).strip();
            ParsedOutput parsed = thought.parse(text);
            String body = parsed.malformed() ? text : parsed.thought();
            if (!parsed.malformed() || "eos".equals(g.finishReason())) {
                body = body.strip();
            } else {
                body = wholeSentences(body);
            }
            if (!body.isBlank()) {
                return body;
            }
        }
        return null;
    }

    /** The text up to its last sentence end (". ", "! ", "? ") or line break; empty when it has none. */
    static String wholeSentences(String text) {
        int end = -1;
        for (String boundary : List.of(". ", "! ", "? ", ".\n", "!\n", "?\n")) {
            end = Math.max(end, text.lastIndexOf(boundary) + 1);
        }
        end = Math.max(end, text.lastIndexOf('\n'));
        return end <= 0 ? "" : text.substring(0, end).strip();
    }

    private static int[] chat(ModelTokenizer tokenizer, String user) {
        return TokenIds.toInts(tokenizer.encodeChat(List.of(ChatMessage.user(user)), true));
    }

    private static String decode(ModelTokenizer tokenizer, int[] ids) {
        return tokenizer.decode(Arrays.stream(ids).asLongStream().toArray(), true);
    }
}
