package dev.tpo.method.judge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tpo.model.CausalLm;
import dev.tpo.model.nn.AttentionMasks;
import dev.tpo.model.tokenizer.ChatMessage;
import dev.tpo.model.tokenizer.ModelTokenizer;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RewardModelJudgeTest {
    private ModelTokenizer tokenizer;
    private CausalLm model;

    private final JudgeTask arithmetic = new JudgeTask(
            "math",
            "What is 2 + 2?",
            null,
            Arrays.asList("4", "Four, because two plus two makes four.", null, "5", "The answer is 4."));
    private final JudgeTask poem = new JudgeTask(
            "poem", "Write a two-line poem about rain.", null, List.of("Rain on the roof,\nsoft and aloof.", "Drip."));

    @BeforeAll
    void load() {
        tokenizer = TestModels.llamaTokenizer();
        model = TestModels.rewardModel(7);
    }

    @AfterAll
    void close() {
        model.close();
        tokenizer.close();
    }

    /** The reward of one conversation alone: no batch, no padding, read at position {@code readAt}. */
    private static double alone(CausalLm model, long[] ids, int readAt) {
        try (NDManager scope = model.manager().newSubManager()) {
            int t = ids.length;
            NDArray hidden = model.hidden(
                    scope.create(ids, new Shape(1, t)),
                    scope.arange(0, t, 1, DataType.INT64).reshape(1, t),
                    AttentionMasks.build(scope, null, 1, 0, t, model.dtype()),
                    null);
            return model.classify(hidden.get("0, " + readAt + ", :").reshape(1, -1))
                    .getFloat(0, 0);
        }
    }

    private long[] ids(String prompt, String response) {
        return tokenizer.encodeChat(List.of(ChatMessage.user(prompt), ChatMessage.assistant(response)), false);
    }

    @Test
    void scoresEqualAnUnbatchedForwardAtTheLastToken() {
        try (RewardModelJudge judge = new RewardModelJudge(model, tokenizer, 8)) {
            JudgeScores s = judge.score(List.of(arithmetic)).get(0);
            double[] scores = s.scores();
            for (int i : arithmetic.judgedIndices()) {
                long[] ids = ids(arithmetic.prompt(), arithmetic.responses().get(i));
                assertEquals(TestModels.EOT_ID, ids[ids.length - 1], "the chat ends with <|eot_id|>");
                assertEquals(alone(model, ids, ids.length - 1), scores[i], 1e-5, "response " + i);
            }
            assertTrue(Double.isNaN(scores[2]), "malformed response is not scored");
            assertTrue(
                    Arrays.stream(scores).filter(Double::isFinite).distinct().count() == 4,
                    "a random head still separates different responses: " + Arrays.toString(scores));
            assertEquals(4, s.details().size());
            assertTrue(
                    s.details().get(0).startsWith("response 0 reward "),
                    s.details().get(0));
        }
    }

    @Test
    void scoresAreDeterministicAndIndependentOfBatching() {
        double[] together;
        double[] poemTogether;
        try (RewardModelJudge wide = new RewardModelJudge(model, tokenizer, 16)) {
            List<JudgeScores> both = wide.score(List.of(arithmetic, poem));
            together = both.get(0).scores();
            poemTogether = both.get(1).scores();
            assertArrayEquals(
                    together, wide.score(List.of(arithmetic, poem)).get(0).scores(), 0.0);
        }
        try (RewardModelJudge single = new RewardModelJudge(model, tokenizer, 1);
                RewardModelJudge pairs = new RewardModelJudge(model, tokenizer, 2)) {
            assertArrayEquals(together, single.score(List.of(arithmetic)).get(0).scores(), 1e-5);
            assertArrayEquals(
                    together, pairs.score(List.of(poem, arithmetic)).get(1).scores(), 1e-5);
            assertArrayEquals(poemTogether, single.score(List.of(poem)).get(0).scores(), 1e-5);
        }
    }

    @Test
    void aConfiguredPadIdIsSkippedAtTheEndAsTransformersDoes() {
        ObjectNode c = TestModels.json("LlamaForSequenceClassification", "llama", 2048);
        c.put("num_labels", 1);
        c.put("pad_token_id", TestModels.EOT_ID);
        try (CausalLm padded = TestModels.random(c, 7);
                RewardModelJudge judge = new RewardModelJudge(padded, tokenizer, 4)) {
            double[] scores = judge.score(List.of(poem)).get(0).scores();
            for (int i = 0; i < 2; i++) {
                long[] ids = ids(poem.prompt(), poem.responses().get(i));
                assertEquals(alone(padded, ids, ids.length - 2), scores[i], 1e-5);
                assertTrue(Math.abs(alone(padded, ids, ids.length - 1) - scores[i]) > 1e-6);
            }
        }
    }

    @Test
    void worksOnAQwen2Backbone() {
        ObjectNode c = TestModels.json("Qwen2ForSequenceClassification", "qwen2", 2048);
        c.put("num_labels", 1);
        try (CausalLm qwen = TestModels.random(c, 3);
                RewardModelJudge judge = new RewardModelJudge(qwen, tokenizer, 4)) {
            double[] scores = judge.score(List.of(poem)).get(0).scores();
            long[] ids = ids(poem.prompt(), poem.responses().get(1));
            assertEquals(alone(qwen, ids, ids.length - 1), scores[1], 1e-5);
        }
    }

    @Test
    void rejectsModelsWithoutAScalarHead() {
        try (CausalLm lm = TestModels.random(TestModels.json("LlamaForCausalLM", "llama", 2048), 1)) {
            assertTrue(assertThrows(IllegalArgumentException.class, () -> new RewardModelJudge(lm, tokenizer, 4))
                    .getMessage()
                    .contains("sequence classifier"));
        }
        ObjectNode two = TestModels.json("LlamaForSequenceClassification", "llama", 2048);
        two.put("num_labels", 2);
        try (CausalLm classifier = TestModels.random(two, 1)) {
            assertTrue(
                    assertThrows(IllegalArgumentException.class, () -> new RewardModelJudge(classifier, tokenizer, 4))
                            .getMessage()
                            .contains("num_labels 2"));
        }
    }

    @Test
    void tooLongConversationsAreNamed() {
        ObjectNode c = TestModels.json("LlamaForSequenceClassification", "llama", 16);
        c.put("num_labels", 1);
        try (CausalLm small = TestModels.random(c, 1);
                RewardModelJudge judge = new RewardModelJudge(small, tokenizer, 4)) {
            JudgeException e = assertThrows(JudgeException.class, () -> judge.score(List.of(poem)));
            assertTrue(
                    e.getMessage().contains("'poem' response 0")
                            && e.getMessage().contains("16 positions"),
                    e.getMessage());
        }
    }
}
