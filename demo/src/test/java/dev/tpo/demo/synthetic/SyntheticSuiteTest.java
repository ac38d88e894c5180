package dev.tpo.demo.synthetic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class SyntheticSuiteTest {
    /** The cpu preset with fewer SFT examples, so each test builds in milliseconds. */
    static DemoPreset small(long seed) {
        DemoPreset p = DemoPreset.cpu();
        return new DemoPreset(
                "test",
                seed,
                p.model(),
                new DemoPreset.SuiteSizes(120, 60, 3000, false),
                p.mix(),
                p.sft(),
                p.iteration(),
                p.iterations());
    }

    @Test
    void sameSeedSameSuiteOtherSeedOtherSuite() {
        SyntheticSuite a = new SyntheticSuite(small(3));
        SyntheticSuite b = new SyntheticSuite(small(3));
        SyntheticSuite c = new SyntheticSuite(small(4));
        assertEquals(a.evalPrompts(), b.evalPrompts());
        assertEquals(a.trainPrompts(), b.trainPrompts());
        assertEquals(a.seedExamples(), b.seedExamples());
        assertFalse(a.evalPrompts().equals(c.evalPrompts()));
    }

    @Test
    void evalInstructionsAppearNowhereElse() {
        SyntheticSuite s = new SyntheticSuite(small(5));
        Set<String> eval = s.evalPrompts().stream().map(PromptRecord::prompt).collect(Collectors.toSet());
        assertEquals(s.evalPrompts().size(), eval.size());
        for (PromptRecord r : s.trainPrompts()) {
            assertFalse(eval.contains(r.prompt()), r.prompt());
        }
        for (SeedExample e : s.seedExamples()) {
            assertTrue(
                    eval.stream()
                            .noneMatch(
                                    i -> e.user().endsWith(": " + i) || e.user().equals(i)),
                    e.user());
        }
        Set<String> ids = new HashSet<>();
        s.evalPrompts().forEach(r -> ids.add(r.id()));
        s.trainPrompts().forEach(r -> ids.add(r.id()));
        assertEquals(s.evalPrompts().size() + s.trainPrompts().size(), ids.size());
    }

    @Test
    void referencesAreRightWhenRecomputedFromTheText() {
        SyntheticSuite s = new SyntheticSuite(small(6));
        for (List<PromptRecord> set : List.of(s.evalPrompts(), s.trainPrompts())) {
            for (PromptRecord r : set) {
                assertEquals(r.reference(), SyntheticSuite.recomputeReference(r.category(), r.prompt()), r.prompt());
            }
        }
        Map<String, Long> perCategory =
                s.evalPrompts().stream().collect(Collectors.groupingBy(PromptRecord::category, Collectors.counting()));
        assertEquals(Map.of("plus-times", 30L, "minus-times", 30L), perCategory);
    }

    @Test
    void usefulThoughtsAreCorrectWorkAndOthersMostlyMissTheAnswer() {
        TaskInstance t =
                TaskGenerator.chain(Category.PLUS_TIMES, new int[] {7, 5, 3, 9, 4}, new char[] {'+', '*', '+', '*'});
        assertEquals(Category.PLUS_TIMES, t.category());
        assertEquals("Mod 10, left to right: 7 +5=? *3=? +9=? *4=?.", t.instruction());
        assertEquals("0", t.reference());
        assertEquals("Work: 7 +5=2 *3=6 +9=5 *4=0. Draft 0, ok.", t.thought(ThoughtKind.USEFUL));
        assertEquals("Shortcut: 7 +5=2 *3=6 +9=5. Draft 5, ok.", t.thought(ThoughtKind.WRONG));
        assertEquals("Easy. Guess 0, ok.", t.thought(ThoughtKind.USELESS));
        TaskInstance minus =
                TaskGenerator.chain(Category.MINUS_TIMES, new int[] {1, 3, 2, 8, 6}, new char[] {'-', '*', '-', '-'});
        assertEquals(Category.MINUS_TIMES, minus.category());
        // 1-3=8, 8*2=6, 6-8=8, 8-6=2
        assertEquals("Work: 1 -3=8 *2=6 -8=8 -6=2. Draft 2, ok.", minus.thought(ThoughtKind.USEFUL));
        assertEquals("2", minus.answer(ThoughtKind.USEFUL));
        assertEquals("8", minus.answer(ThoughtKind.WRONG));
        assertEquals("2", SyntheticSuite.recomputeReference("minus-times", minus.instruction()));
        // The thought is the instruction's expression with each ? filled in, so every step has the same width.
        String expression = t.instruction()
                .substring(TaskGenerator.PREFIX.length(), t.instruction().length() - 1);
        String work = t.thought(ThoughtKind.USEFUL);
        assertEquals(expression.length(), work.indexOf('.') - "Work: ".length());
    }

    @Test
    void everyPresetBuildsASuiteAndTheSmokePresetIsTiny() {
        for (String name : List.of("cpu", "gpu", "smoke")) {
            assertEquals(name, DemoPreset.named(name).name());
        }
        DemoPreset smoke = DemoPreset.named("smoke");
        SyntheticSuite s = new SyntheticSuite(smoke);
        assertEquals(200, s.seedExamples().size());
        assertTrue(smoke.iteration().promptsPerIteration() * smoke.iterations()
                <= s.trainPrompts().size());
        DemoPreset cpu = DemoPreset.cpu();
        assertTrue(cpu.iteration().promptsPerIteration() * cpu.iterations()
                <= cpu.suite().trainPrompts());
    }

    @Test
    void seedDataMixesThoughtsOfEveryUsefulnessInTheConfiguredShares() {
        DemoPreset preset = small(8);
        SyntheticSuite s = new SyntheticSuite(preset);
        List<SeedExample> all = s.seedExamples();
        List<SeedExample> thought =
                all.stream().filter(e -> e.format() != ThoughtFormat.NONE).toList();
        double direct = 1 - thought.size() / (double) all.size();
        assertEquals(preset.mix().direct(), direct, 0.03);
        long generic = thought.stream()
                .filter(e -> e.format() == ThoughtFormat.GENERIC)
                .count();
        assertEquals(preset.mix().generic(), generic / (double) all.size(), 0.03);
        // Correct step-by-step thoughts: a share within the configured range, and each of them reaches the answer.
        double useful =
                thought.stream().filter(e -> e.kind() == ThoughtKind.USEFUL).count() / (double) thought.size();
        assertEquals(preset.mix().useful(), useful, 0.04);
        double wrong =
                thought.stream().filter(e -> e.kind() == ThoughtKind.WRONG).count() / (double) thought.size();
        assertEquals(preset.mix().wrong(), wrong, 0.04);
        for (SeedExample e : thought) {
            assertEquals(
                    e.kind(), ThoughtKind.of(e.format().thought(e.output())).orElseThrow(), e.output());
            if (e.kind() != ThoughtKind.WRONG) {
                assertTrue(e.answersCorrectly(), e.output());
            }
        }
        // A wrong thought leads to a wrong answer far more often than not (it is right only when the skipped
        // last operation happens to keep the value, as in +0, *1 or 5*3).
        List<SeedExample> wrongOnes =
                thought.stream().filter(e -> e.kind() == ThoughtKind.WRONG).toList();
        double wrongRight =
                wrongOnes.stream().filter(SeedExample::answersCorrectly).count() / (double) wrongOnes.size();
        assertTrue(wrongRight < 0.35, "wrong thoughts that still answer: " + wrongRight);
        for (SeedExample e : all) {
            if (e.format() == ThoughtFormat.NONE) {
                assertEquals(e.reference(), e.output());
                assertNotNull(e.user());
            }
        }
    }

    @Test
    void formatsSplitThoughtFromResponseAtTheirMarkers() {
        String specific = ThoughtFormat.SPECIFIC.output("Work: x. Draft 3, ok.", "3");
        assertEquals("3", ThoughtFormat.SPECIFIC.response(specific));
        assertEquals("Work: x. Draft 3, ok.", ThoughtFormat.SPECIFIC.thought(specific));
        String generic = ThoughtFormat.GENERIC.output("Easy. Guess 4, ok.", "4");
        assertEquals("Here is my thought process: Easy. Guess 4, ok.\nHere is my response: 4", generic);
        assertEquals("4", ThoughtFormat.GENERIC.response(generic));
        assertEquals("Easy. Guess 4, ok.", ThoughtFormat.GENERIC.thought(generic));
        assertTrue(ResponseVerifier.verify(ThoughtFormat.SPECIFIC, "Easy. no marker", "3")
                .malformed());
        assertTrue(ResponseVerifier.verify(ThoughtFormat.NONE, " 12 ", "12").correct());
        assertTrue(
                ThoughtFormat.SPECIFIC
                        .wrap("Add 1 and 2.", true)
                        .contains(
                                "This must include your draft response"
                                        + " and its evaluation. After this, write your final response after \"<R>\".\n\nUser query: Add 1 and 2."));
        assertTrue(ThoughtFormat.SPECIFIC.wrap("Add 1 and 2.", false).endsWith("\"<R>\".\n\nUser query: Add 1 and 2."));
    }
}
