package dev.tpo.demo.synthetic;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.tpo.model.tokenizer.ChatMessage;
import dev.tpo.model.tokenizer.ModelTokenizer;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * The seeded synthetic instruction suite: held-out eval prompts, TPO train prompts and seed SFT examples, all
 * with distinct instructions, all fixed by the preset's seed.
 *
 * <p>Eval prompts are drawn first and every later instruction is checked against all earlier ones, so train
 * prompts and SFT examples never repeat an eval instruction (nor SFT examples a train one). Categories rotate so
 * each has an equal share of every set.
 */
public final class SyntheticSuite {
    /** Changes whenever the generated text changes, so cached seeds trained on older text are not reused. */
    public static final String VERSION = "mod10-chains-2";

    private static final ObjectMapper JSON = new ObjectMapper().disable(SerializationFeature.INDENT_OUTPUT);

    private final DemoPreset preset;
    private final List<PromptRecord> evalPrompts;
    private final List<PromptRecord> trainPrompts;
    private final List<SeedExample> seedExamples;

    public SyntheticSuite(DemoPreset preset) {
        this.preset = preset;
        Random random = new Random(preset.seed());
        TaskGenerator generator = new TaskGenerator();
        Set<String> seen = new HashSet<>();
        List<TaskInstance> eval = draw(generator, random, seen, preset.suite().evalPrompts(), true);
        List<TaskInstance> train = draw(generator, random, seen, preset.suite().trainPrompts(), true);
        // Seed instructions may repeat among themselves (a category may have fewer distinct instructions than
        // the seed data has examples), never an eval or train one.
        List<TaskInstance> seed = draw(generator, random, seen, preset.suite().sftExamples(), false);
        this.evalPrompts = records("eval", eval);
        this.trainPrompts = records("train", train);
        this.seedExamples = seedExamples(seed, new Random(preset.seed() * 31 + 1));
    }

    public DemoPreset preset() {
        return preset;
    }

    public List<PromptRecord> evalPrompts() {
        return evalPrompts;
    }

    public List<PromptRecord> trainPrompts() {
        return trainPrompts;
    }

    public List<SeedExample> seedExamples() {
        return seedExamples;
    }

    /** Recomputes the reference of an instruction this suite wrote (for tests and judges). */
    public static String recomputeReference(String category, String instruction) {
        return ReferenceSolver.solve(Category.fromLabel(category), instruction);
    }

    /**
     * Writes {@code tokenizer/}, {@code eval-prompts.jsonl}, {@code train-prompts.jsonl}, {@code sft-text.jsonl}
     * (readable seed data) and {@code sft.jsonl} (token ids, the form {@code tpo train sft} reads; each completion
     * ends with EOS) into {@code dir}.
     */
    public void write(Path dir) {
        Path tokenizerDir = dir.resolve("tokenizer");
        CharTokenizer.write(tokenizerDir);
        writeJsonl(dir.resolve("eval-prompts.jsonl"), evalPrompts);
        writeJsonl(dir.resolve("train-prompts.jsonl"), trainPrompts);
        writeJsonl(dir.resolve("sft-text.jsonl"), seedExamples);
        long eos = CharTokenizer.id(CharTokenizer.EOS);
        List<Map<String, Object>> rows = new ArrayList<>();
        try (ModelTokenizer tokenizer = ModelTokenizer.open(tokenizerDir)) {
            for (SeedExample e : seedExamples) {
                long[] prompt = tokenizer.encodeChat(List.of(ChatMessage.user(e.user())), true);
                long[] body = tokenizer.encode(e.output(), false);
                long[] completion = java.util.Arrays.copyOf(body, body.length + 1);
                completion[body.length] = eos;
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("prompt_ids", prompt);
                row.put("completion_ids", completion);
                rows.add(row);
            }
        }
        writeJsonl(dir.resolve("sft.jsonl"), rows);
    }

    private static List<TaskInstance> draw(
            TaskGenerator generator, Random random, Set<String> seen, int n, boolean distinct) {
        List<TaskInstance> out = new ArrayList<>(n);
        Category[] categories = Category.values();
        while (out.size() < n) {
            TaskInstance t = generator.next(categories[out.size() % categories.length], random);
            if (distinct ? seen.add(t.instruction()) : !seen.contains(t.instruction())) {
                out.add(t);
            }
        }
        return out;
    }

    private static List<PromptRecord> records(String split, List<TaskInstance> tasks) {
        List<PromptRecord> out = new ArrayList<>(tasks.size());
        for (int i = 0; i < tasks.size(); i++) {
            TaskInstance t = tasks.get(i);
            out.add(new PromptRecord(
                    String.format("%s-%05d", split, i),
                    t.instruction(),
                    t.category().label(),
                    t.reference()));
        }
        return List.copyOf(out);
    }

    private List<SeedExample> seedExamples(List<TaskInstance> tasks, Random random) {
        DemoPreset.SeedMix mix = preset.mix();
        boolean paper = preset.suite().paperPromptText();
        List<SeedExample> out = new ArrayList<>(tasks.size());
        for (int i = 0; i < tasks.size(); i++) {
            TaskInstance t = tasks.get(i);
            ThoughtFormat format = pick(
                    random,
                    mix.specific(),
                    mix.generic(),
                    ThoughtFormat.SPECIFIC,
                    ThoughtFormat.GENERIC,
                    ThoughtFormat.NONE);
            ThoughtKind kind = format == ThoughtFormat.NONE
                    ? null
                    : pick(
                            random,
                            mix.useful(),
                            mix.wrong(),
                            ThoughtKind.USEFUL,
                            ThoughtKind.WRONG,
                            ThoughtKind.USELESS);
            String output = kind == null ? t.reference() : format.output(t.thought(kind), t.answer(kind));
            out.add(new SeedExample(
                    String.format("sft-%05d", i),
                    t.category().label(),
                    format,
                    kind,
                    format.wrap(t.instruction(), paper),
                    output,
                    t.reference()));
        }
        return List.copyOf(out);
    }

    private static <T> T pick(Random random, double first, double second, T a, T b, T c) {
        double u = random.nextDouble();
        return u < first ? a : u < first + second ? b : c;
    }

    static void writeJsonl(Path file, List<?> rows) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                for (Object row : rows) {
                    w.write(JSON.writeValueAsString(row));
                    w.write('\n');
                }
            }
            Files.move(
                    tmp,
                    file,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** {@code SyntheticSuite OUT_DIR [cpu|gpu|smoke]}: writes the suite and the preset's model config.json. */
    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: SyntheticSuite OUT_DIR [cpu|gpu|smoke]");
            System.exit(2);
        }
        DemoPreset preset = DemoPreset.named(args.length > 1 ? args[1] : "cpu");
        Path out = Path.of(args[0]);
        new SyntheticSuite(preset).write(out);
        Files.writeString(
                out.resolve("config.json"),
                JSON.writerWithDefaultPrettyPrinter()
                        .writeValueAsString(preset.model().toConfig().toJson("float32")));
        System.err.printf("wrote %s (preset %s)%n", out, preset.name());
    }
}
