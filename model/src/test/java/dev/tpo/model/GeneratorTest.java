package dev.tpo.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.tpo.model.generate.Generation;
import dev.tpo.model.generate.Generator;
import dev.tpo.model.generate.SamplingParams;
import dev.tpo.model.nn.AttentionMasks;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GeneratorTest {
    private static final List<int[]> PROMPTS =
            List.of(new int[] {1, 5, 9}, new int[] {1, 8, 8, 8, 2, 40, 41}, new int[] {1, 60});

    /** Greedy decoding by repeated full forwards, with no cache and no batching: the reference. */
    private static int[] naiveGreedy(CausalLm model, int[] prompt, int steps) {
        int[] seq = Arrays.copyOf(prompt, prompt.length);
        int[] out = new int[steps];
        for (int s = 0; s < steps; s++) {
            try (NDManager scope = model.manager().newSubManager()) {
                long[] ids = Arrays.stream(seq).asLongStream().toArray();
                NDArray logits = model.logits(model.hidden(
                        scope.create(ids, new Shape(1, ids.length)),
                        scope.arange(0, ids.length, 1, DataType.INT64).reshape(1, ids.length),
                        AttentionMasks.build(scope, null, 1, 0, ids.length, DataType.FLOAT32),
                        null));
                int next = (int) logits.get("0, -1, :").argMax().getLong();
                out[s] = next;
                seq = Arrays.copyOf(seq, seq.length + 1);
                seq[seq.length - 1] = next;
            }
        }
        return out;
    }

    @Test
    void batchedCachedGreedyEqualsNaiveGreedy() {
        try (CausalLm model = TinyModels.random(TinyModels.qwen2Tied(), 21)) {
            List<Generation> got =
                    new Generator(model, null, 64).generate(PROMPTS, SamplingParams.greedy(12, Set.of()));
            assertEquals(3, got.size());
            for (int i = 0; i < PROMPTS.size(); i++) {
                assertArrayEquals(
                        naiveGreedy(model, PROMPTS.get(i), 12), got.get(i).tokens(), "prompt " + i);
                assertEquals("length", got.get(i).finishReason());
            }
        }
    }

    @Test
    void unpaddedBatchDecodesWithoutAMaskAndStillEqualsNaiveGreedy() {
        List<int[]> sameLength = List.of(new int[] {1, 5, 9}, new int[] {1, 8, 40});
        try (CausalLm model = TinyModels.random(TinyModels.llama(), 23)) {
            List<Generation> got =
                    new Generator(model, null, 64).generate(sameLength, SamplingParams.greedy(10, Set.of()));
            for (int i = 0; i < sameLength.size(); i++) {
                assertArrayEquals(
                        naiveGreedy(model, sameLength.get(i), 10), got.get(i).tokens(), "prompt " + i);
            }
        }
    }

    @Test
    void sameSeedSameSamplesAndKSamplesShareThePrefillConsistently() {
        try (CausalLm model = TinyModels.random(TinyModels.llama(), 22)) {
            SamplingParams params = new SamplingParams(1.0, 0.9, 40, 10, Set.of(), List.of(), 4, 1234);
            Generator generator = new Generator(model, null, 64);
            List<Generation> a = generator.generate(PROMPTS, params);
            List<Generation> b = generator.generate(PROMPTS, params);
            assertEquals(12, a.size());
            for (int i = 0; i < a.size(); i++) {
                assertArrayEquals(a.get(i).tokens(), b.get(i).tokens());
            }
            // the K samples of a prompt differ from each other (temperature 1 over a random model)
            long distinct = a.subList(0, 4).stream()
                    .map(g -> Arrays.toString(g.tokens()))
                    .distinct()
                    .count();
            assertTrue(distinct > 1);
            // one prompt at a time, with its global index, gives the same samples as the whole batch
            List<Generation> alone =
                    new Generator(model, null, 4).generate(List.of(PROMPTS.get(1)), 1, params, (p, t) -> {});
            for (int k = 0; k < 4; k++) {
                assertEquals(1, alone.get(k).promptIndex());
                assertArrayEquals(a.get(4 + k).tokens(), alone.get(k).tokens());
            }
            List<Generation> other =
                    generator.generate(PROMPTS, new SamplingParams(1.0, 0.9, 40, 10, Set.of(), List.of(), 4, 99));
            assertFalse(Arrays.equals(a.get(0).tokens(), other.get(0).tokens())
                    && Arrays.equals(a.get(1).tokens(), other.get(1).tokens()));
        }
    }

    @Test
    void stopsAtEosAndKeepsIt() {
        try (CausalLm model = TinyModels.random(TinyModels.llama(), 23)) {
            int[] greedy = naiveGreedy(model, PROMPTS.get(0), 6);
            int eos = greedy[2];
            List<Generation> got = new Generator(model, null, 8)
                    .generate(List.of(PROMPTS.get(0)), SamplingParams.greedy(6, Set.of(eos)));
            int firstEos = 0;
            while (greedy[firstEos] != eos) {
                firstEos++;
            }
            assertArrayEquals(Arrays.copyOf(greedy, firstEos + 1), got.get(0).tokens());
            assertEquals("eos", got.get(0).finishReason());
        }
    }

    @Test
    void stopStringsEndASample() {
        try (CausalLm model = TinyModels.random(TinyModels.llama(), 24)) {
            int[] greedy = naiveGreedy(model, PROMPTS.get(0), 8);
            // a toy decoder: each token becomes "<id>"
            java.util.function.Function<int[], String> decode = ids -> Arrays.toString(ids);
            String stop = greedy[3] + "";
            SamplingParams params = new SamplingParams(0, 1, 0, 8, Set.of(), List.of(stop), 1, 0);
            Generation g = new Generator(model, decode, 8)
                    .generate(List.of(PROMPTS.get(0)), params)
                    .get(0);
            assertEquals("stop", g.finishReason());
            assertTrue(decode.apply(g.tokens()).contains(stop));
            assertTrue(g.tokens().length <= 4);
        }
    }

    @Test
    void outOfRangeTokenIsNamed() {
        try (CausalLm model = TinyModels.random(TinyModels.llama(), 25)) {
            InvalidModelException e = assertThrows(
                    InvalidModelException.class,
                    () -> new Generator(model, null, 8)
                            .generate(List.of(new int[] {1, 500}), SamplingParams.greedy(2, Set.of())));
            assertTrue(e.getMessage().contains("prompt 1") && e.getMessage().contains("500"), e.getMessage());
        }
    }
}
