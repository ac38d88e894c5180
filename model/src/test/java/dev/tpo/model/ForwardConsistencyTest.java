package dev.tpo.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.tpo.model.nn.AttentionMasks;
import dev.tpo.model.nn.KvCache;
import dev.tpo.model.score.Scorer;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ForwardConsistencyTest {
    static Stream<ModelConfig> configs() {
        return Stream.of(TinyModels.llama(), TinyModels.qwen2Tied());
    }

    private static float[] fullLogits(CausalLm model, int[] seq) {
        try (NDManager scope = model.manager().newSubManager()) {
            long[] ids = java.util.Arrays.stream(seq).asLongStream().toArray();
            NDArray idArray = scope.create(ids, new Shape(1, seq.length));
            NDArray pos = scope.arange(0, seq.length, 1, DataType.INT64).reshape(1, seq.length);
            NDArray mask = AttentionMasks.build(scope, null, 1, 0, seq.length, DataType.FLOAT32);
            return model.logits(model.hidden(idArray, pos, mask, null)).toFloatArray();
        }
    }

    @ParameterizedTest
    @MethodSource("configs")
    void incrementalDecodingMatchesFullForward(ModelConfig config) {
        int[] seq = {1, 5, 9, 33, 70, 12, 8, 96, 4, 4, 17};
        try (CausalLm model = TinyModels.random(config, 7)) {
            float[] full = fullLogits(model, seq);
            int vocab = config.vocabSize();
            try (NDManager scope = model.manager().newSubManager()) {
                KvCache cache = model.newCache(scope, 1, seq.length);
                int prefix = 4;
                float[] got = new float[seq.length * vocab];
                long[] head =
                        java.util.Arrays.stream(seq, 0, prefix).asLongStream().toArray();
                NDArray mask = AttentionMasks.build(scope, null, 1, 0, prefix, DataType.FLOAT32);
                NDArray logits = model.logits(model.hidden(
                        scope.create(head, new Shape(1, prefix)),
                        scope.arange(0, prefix, 1, DataType.INT64).reshape(1, prefix),
                        mask,
                        cache));
                System.arraycopy(logits.toFloatArray(), 0, got, 0, prefix * vocab);
                for (int t = prefix; t < seq.length; t++) {
                    NDArray step = model.logits(model.hidden(
                            scope.create(new long[] {seq[t]}, new Shape(1, 1)),
                            scope.create(new long[] {t}, new Shape(1, 1)),
                            null,
                            cache));
                    System.arraycopy(step.toFloatArray(), 0, got, t * vocab, vocab);
                }
                assertEquals(seq.length, cache.length());
                assertArrayEquals(full, got, 1e-4f);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("configs")
    void paddingAndBatchingDoNotChangeLogProbs(ModelConfig config) {
        int[] a = {1, 5, 9, 33, 70};
        int[] b = {1, 8, 8, 8, 2, 40, 41, 42, 43, 44, 45, 50};
        int[] c = {3, 4};
        try (CausalLm model = TinyModels.random(config, 11)) {
            Scorer alone = new Scorer(model, 1);
            Scorer batched = new Scorer(model, 8);
            List<float[]> single = alone.tokenLogProbs(List.of(a, b, c));
            List<float[]> together = batched.tokenLogProbs(List.of(a, b, c));
            for (int i = 0; i < 3; i++) {
                assertArrayEquals(single.get(i), together.get(i), 1e-5f);
            }
            assertEquals(4, single.get(0).length);
            assertEquals(11, single.get(1).length);
            // The scorer's values are log-softmax entries of the full forward's logits.
            float[] logits = fullLogits(model, b);
            int vocab = config.vocabSize();
            for (int t = 1; t < b.length; t++) {
                double max = Double.NEGATIVE_INFINITY;
                for (int v = 0; v < vocab; v++) {
                    max = Math.max(max, logits[(t - 1) * vocab + v]);
                }
                double sum = 0;
                for (int v = 0; v < vocab; v++) {
                    sum += Math.exp(logits[(t - 1) * vocab + v] - max);
                }
                double expected = logits[(t - 1) * vocab + b[t]] - max - Math.log(sum);
                assertEquals(expected, single.get(1)[t - 1], 1e-4);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("configs")
    void leftPaddedBatchMatchesUnpaddedLastLogits(ModelConfig config) {
        int[] shortSeq = {1, 5, 9};
        int[] longSeq = {1, 8, 8, 8, 2, 40, 41};
        try (CausalLm model = TinyModels.random(config, 3)) {
            float[] expected = fullLogits(model, shortSeq);
            int vocab = config.vocabSize();
            try (NDManager scope = model.manager().newSubManager()) {
                int len = longSeq.length;
                int pad = len - shortSeq.length;
                long[] ids = new long[2 * len];
                long[] keyMask = new long[2 * len];
                long[] pos = new long[2 * len];
                for (int j = 0; j < shortSeq.length; j++) {
                    ids[pad + j] = shortSeq[j];
                    keyMask[pad + j] = 1;
                    pos[pad + j] = j;
                }
                for (int j = 0; j < len; j++) {
                    ids[len + j] = longSeq[j];
                    keyMask[len + j] = 1;
                    pos[len + j] = j;
                }
                NDArray km = scope.create(keyMask, new Shape(2, len));
                NDArray mask = AttentionMasks.build(scope, km, 2, 0, len, DataType.FLOAT32);
                NDArray logits = model.logits(model.hidden(
                        scope.create(ids, new Shape(2, len)), scope.create(pos, new Shape(2, len)), mask, null));
                float[] last = logits.get(new NDIndex("0, -1, :")).toFloatArray();
                float[] want =
                        java.util.Arrays.copyOfRange(expected, (shortSeq.length - 1) * vocab, shortSeq.length * vocab);
                assertArrayEquals(want, last, 1e-4f);
            }
        }
    }
}
