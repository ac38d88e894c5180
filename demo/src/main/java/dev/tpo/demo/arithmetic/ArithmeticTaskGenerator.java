package dev.tpo.demo.arithmetic;

import java.util.List;
import java.util.Random;

/**
 * Draws instructions of each {@link ArithmeticCategory} from a seeded {@link Random}: operands 2-9 (dozens 2-6,
 * so answers stay under 100), several phrasings per category so a policy cannot key on one sentence.
 */
public final class ArithmeticTaskGenerator {
    private static final List<String> NAMES = List.of("Tom", "Anna", "Sam", "Lily", "Omar", "Mia", "Ben", "Zoe");
    private static final List<String> THINGS = List.of("apples", "pencils", "marbles", "stickers", "books", "coins");
    private static final List<String> GAINS = List.of("buys", "finds", "gets");

    public ArithmeticTask next(ArithmeticCategory category, Random random) {
        int a = digit(random);
        int b = digit(random);
        return switch (category) {
            case ADDITION ->
                new ArithmeticTask(
                        category,
                        pick(
                                random,
                                List.of(
                                        "What is " + a + " + " + b + "?",
                                        "Compute " + a + " + " + b + ".",
                                        "What do you get when you add " + a + " and " + b + "?")),
                        a + b);
            case MULTIPLICATION ->
                new ArithmeticTask(
                        category,
                        pick(
                                random,
                                List.of(
                                        "What is " + a + " times " + b + "?",
                                        "Compute " + a + " * " + b + ".",
                                        "What is " + a + " multiplied by " + b + "?")),
                        a * b);
            case WORD_SUM -> {
                String name = pick(random, NAMES);
                String things = pick(random, THINGS);
                yield new ArithmeticTask(
                        category,
                        name + " has " + a + " " + things + " and " + pick(random, GAINS) + " " + b + " more. How many "
                                + things + " does " + name + " have now?",
                        a + b);
            }
            case WORD_PRODUCT ->
                switch (random.nextInt(3)) {
                    case 0 -> {
                        String things = pick(random, THINGS);
                        yield new ArithmeticTask(
                                category,
                                "A box holds " + a + " " + things + ". How many " + things + " are in " + b + " boxes?",
                                a * b);
                    }
                    case 1 -> new ArithmeticTask(category, "How many days are in " + b + " weeks?", 7 * b);
                    default -> {
                        int dozens = 2 + random.nextInt(5);
                        yield new ArithmeticTask(category, "How many eggs are in " + dozens + " dozen?", 12 * dozens);
                    }
                };
        };
    }

    private static int digit(Random random) {
        return 2 + random.nextInt(8);
    }

    private static String pick(Random random, List<String> options) {
        return options.get(random.nextInt(options.size()));
    }
}
