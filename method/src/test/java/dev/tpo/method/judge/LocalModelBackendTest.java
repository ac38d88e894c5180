package dev.tpo.method.judge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tpo.model.CausalLm;
import dev.tpo.model.tokenizer.ChatMessage;
import dev.tpo.model.tokenizer.ModelTokenizer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LocalModelBackendTest {
    private ModelTokenizer tokenizer;
    private CausalLm model;

    @BeforeAll
    void load() {
        tokenizer = TestModels.llamaTokenizer();
        model = TestModels.random(TestModels.json("LlamaForCausalLM", "llama", 2048), 11);
    }

    @AfterAll
    void close() {
        model.close();
        tokenizer.close();
    }

    private static List<List<ChatMessage>> chats() {
        return List.of(
                List.of(ChatMessage.system("Judge."), ChatMessage.user("Which is better, A or B?")),
                List.of(ChatMessage.user("Say something short.")),
                List.of(
                        ChatMessage.system("You are a careful grader of long and winding answers."),
                        ChatMessage.user("Rate this answer from one to ten: the moon is made of rock.")));
    }

    @Test
    void greedyAnswersDoNotDependOnBatching() {
        List<String> batched;
        try (LocalModelBackend backend = new LocalModelBackend(model, tokenizer, 6, 3)) {
            batched = backend.complete(chats());
            assertEquals(batched, backend.complete(chats()));
        }
        List<String> alone = new ArrayList<>();
        try (LocalModelBackend backend = new LocalModelBackend(model, tokenizer, 6, 1)) {
            for (List<ChatMessage> chat : chats()) {
                alone.addAll(backend.complete(List.of(chat)));
            }
        }
        assertEquals(alone, batched);
        assertEquals(3, batched.size());
        assertTrue(batched.stream().anyMatch(s -> !s.isEmpty()), "a random model still emits some text");
        // closing the backend leaves the caller's model usable
        assertEquals(model.config().vocabSize(), TestModels.LLAMA3_VOCAB);
        assertEquals(
                alone.get(1),
                new LocalModelBackend(model, tokenizer, 6)
                        .complete(List.of(chats().get(1)))
                        .get(0));
    }

    @Test
    void pairwiseJudgeRunsOnTheLocalEngine() {
        List<String> responses = List.of("Paris.", "It is Paris, the capital.", "Lyon.");
        try (PairwiseLlmJudge judge = new PairwiseLlmJudge(new LocalModelBackend(model, tokenizer, 8, 4))) {
            JudgeScores s = judge.score(List.of(new JudgeTask("capital", "Capital of France?", null, responses)))
                    .get(0);
            assertEquals(6, s.details().size());
            for (double v : s.scores()) {
                assertTrue(Double.isFinite(v));
            }
            // each detail carries the model's own greedy answer to that game's prompt
            String expected = new LocalModelBackend(model, tokenizer, 8)
                    .complete(List.of(
                            PairwisePrompt.chat("Capital of France?", null, responses.get(0), responses.get(1))))
                    .get(0);
            assertTrue(
                    s.details().get(0).startsWith("A=0 B=1 ")
                            && s.details().get(0).endsWith(": " + expected),
                    s.details().get(0));
        }
    }

    @Test
    void promptsBeyondTheModelsPositionsAreRefused() {
        try (CausalLm small = TestModels.random(TestModels.json("LlamaForCausalLM", "llama", 32), 1);
                LocalModelBackend backend = new LocalModelBackend(small, tokenizer, 8)) {
            JudgeException e = assertThrows(JudgeException.class, () -> backend.complete(chats()));
            assertTrue(
                    e.getMessage().contains("judge chat 1") && e.getMessage().contains("32 positions"), e.getMessage());
            assertTrue(!e.isTransient());
        }
    }

    @Test
    void aRewardModelIsNotABackend() {
        try (CausalLm classifier = TestModels.rewardModel(1)) {
            assertThrows(IllegalArgumentException.class, () -> new LocalModelBackend(classifier, tokenizer, 8));
        }
    }
}
