package dev.tpo.demo.arithmetic;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tpo.method.prompts.PromptItem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * The seeded arithmetic suite for a real instruct model: held-out eval prompts, TPO train prompts and format
 * warm-up prompts, three disjoint sets of distinct instructions with numeric references, categories rotating so
 * each has an equal share of every set. Drawn in the order eval, warm-up, train, so more train prompts never
 * change the eval prompts or the warm-up (and the seed made from it).
 */
public final class ArithmeticSuite {
    /** Changes whenever the generated text changes, so caches built on older text are not reused. */
    public static final String VERSION = "arithmetic-1";

    public static final String EVAL_FILE = "eval-prompts.jsonl";
    public static final String TRAIN_FILE = "train-prompts.jsonl";
    public static final String WARMUP_FILE = "warmup-prompts.jsonl";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<PromptItem> evalPrompts;
    private final List<PromptItem> trainPrompts;
    private final List<PromptItem> warmupPrompts;

    public ArithmeticSuite(long seed, int evalCount, int trainCount, int warmupCount) {
        if (evalCount < 1 || trainCount < 1 || warmupCount < 0) {
            throw new IllegalArgumentException("the suite needs at least one eval and one train prompt and no "
                    + "negative warm-up count, got " + evalCount + " / " + trainCount + " / " + warmupCount);
        }
        Random random = new Random(seed);
        Set<String> seen = new HashSet<>();
        ArithmeticTaskGenerator generator = new ArithmeticTaskGenerator();
        this.evalPrompts = draw("eval", generator, random, seen, evalCount);
        this.warmupPrompts = draw("warmup", generator, random, seen, warmupCount);
        this.trainPrompts = draw("train", generator, random, seen, trainCount);
    }

    public List<PromptItem> evalPrompts() {
        return evalPrompts;
    }

    public List<PromptItem> trainPrompts() {
        return trainPrompts;
    }

    public List<PromptItem> warmupPrompts() {
        return warmupPrompts;
    }

    /** Writes the three sets as prompt-set JSONL ({@code id, prompt, category, reference}) into {@code dir}. */
    public void write(Path dir) {
        writeJsonl(dir.resolve(EVAL_FILE), evalPrompts);
        writeJsonl(dir.resolve(TRAIN_FILE), trainPrompts);
        writeJsonl(dir.resolve(WARMUP_FILE), warmupPrompts);
    }

    private static List<PromptItem> draw(
            String split, ArithmeticTaskGenerator generator, Random random, Set<String> seen, int n) {
        ArithmeticCategory[] categories = ArithmeticCategory.values();
        List<PromptItem> out = new ArrayList<>(n);
        int attempts = 0;
        while (out.size() < n) {
            // The instruction space is finite (a few hundred per category); fail loudly rather than loop forever.
            if (++attempts > 100 * n + 10_000) {
                throw new IllegalArgumentException("cannot draw " + n + " distinct " + split + " instructions");
            }
            ArithmeticTask task = generator.next(categories[out.size() % categories.length], random);
            if (seen.add(task.instruction())) {
                out.add(new PromptItem(
                        String.format("%s-%04d", split, out.size()),
                        task.instruction(),
                        task.category().label(),
                        String.valueOf(task.answer())));
            }
        }
        return List.copyOf(out);
    }

    private static void writeJsonl(Path file, List<PromptItem> rows) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            StringBuilder text = new StringBuilder();
            for (PromptItem row : rows) {
                text.append(JSON.writeValueAsString(row)).append('\n');
            }
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
