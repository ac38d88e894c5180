package dev.tpo.demo.arithmetic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tpo.method.prompts.PromptItem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArithmeticSuiteTest {
    private static final Pattern NUMBER = Pattern.compile("\\d+");

    @Test
    void setsAreDisjointDistinctAndBalanced() {
        ArithmeticSuite suite = new ArithmeticSuite(7, 40, 64, 32);
        List<PromptItem> all = new ArrayList<>(suite.evalPrompts());
        all.addAll(suite.trainPrompts());
        all.addAll(suite.warmupPrompts());
        Set<String> instructions = new HashSet<>();
        all.forEach(p -> assertTrue(instructions.add(p.prompt()), "repeated instruction " + p.prompt()));
        assertEquals(
                Map.of("addition", 10L, "multiplication", 10L, "word-sum", 10L, "word-product", 10L),
                suite.evalPrompts().stream()
                        .collect(Collectors.groupingBy(PromptItem::category, Collectors.counting())));
        assertEquals(40 + 64 + 32, all.stream().map(PromptItem::id).distinct().count());
    }

    @Test
    void everyReferenceIsTheAnswerToItsInstruction() {
        for (PromptItem p : new ArithmeticSuite(3, 100, 100, 100).evalPrompts()) {
            List<Integer> n = numbers(p.prompt());
            int expected = switch (p.category()) {
                case "addition", "word-sum" -> n.get(0) + n.get(1);
                case "multiplication" -> n.get(0) * n.get(1);
                case "word-product" ->
                    p.prompt().contains("weeks")
                            ? 7 * n.get(0)
                            : p.prompt().contains("dozen") ? 12 * n.get(0) : n.get(0) * n.get(1);
                default -> throw new AssertionError("unknown category " + p.category());
            };
            assertEquals(String.valueOf(expected), p.reference(), p.prompt());
        }
    }

    @Test
    void theSeedFixesTheSuiteAndMoreTrainPromptsChangeNeitherEvalNorWarmup() {
        Function<ArithmeticSuite, List<String>> eval =
                s -> s.evalPrompts().stream().map(PromptItem::prompt).toList();
        Function<ArithmeticSuite, List<String>> warmup =
                s -> s.warmupPrompts().stream().map(PromptItem::prompt).toList();
        assertEquals(eval.apply(new ArithmeticSuite(5, 20, 10, 4)), eval.apply(new ArithmeticSuite(5, 20, 50, 30)));
        assertEquals(warmup.apply(new ArithmeticSuite(5, 20, 10, 4)), warmup.apply(new ArithmeticSuite(5, 20, 50, 4)));
        assertNotEquals(eval.apply(new ArithmeticSuite(5, 20, 10, 4)), eval.apply(new ArithmeticSuite(6, 20, 10, 4)));
    }

    @Test
    void writesPromptSetJsonl(@TempDir Path dir) throws Exception {
        ArithmeticSuite suite = new ArithmeticSuite(1, 4, 4, 4);
        suite.write(dir);
        List<String> lines = Files.readAllLines(dir.resolve(ArithmeticSuite.EVAL_FILE));
        assertEquals(4, lines.size());
        PromptItem first = new ObjectMapper().readValue(lines.get(0), PromptItem.class);
        assertEquals(suite.evalPrompts().get(0), first);
        assertTrue(Files.isRegularFile(dir.resolve(ArithmeticSuite.TRAIN_FILE)));
        assertTrue(Files.isRegularFile(dir.resolve(ArithmeticSuite.WARMUP_FILE)));
    }

    @Test
    void impossibleSizesFailNamingTheSet() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> new ArithmeticSuite(1, 0, 4, 4));
        assertTrue(e.getMessage().contains("eval"), e.getMessage());
    }

    private static List<Integer> numbers(String text) {
        List<Integer> out = new ArrayList<>();
        Matcher m = NUMBER.matcher(text);
        while (m.find()) {
            out.add(Integer.parseInt(m.group()));
        }
        return out;
    }
}
