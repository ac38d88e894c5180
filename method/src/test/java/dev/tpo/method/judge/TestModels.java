package dev.tpo.method.judge;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tpo.model.CausalLm;
import dev.tpo.model.Compute;
import dev.tpo.model.ModelConfig;
import dev.tpo.model.ModelInitializer;
import dev.tpo.model.tokenizer.ModelTokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

/** Tiny random models over the real Llama 3.1 vocabulary, and that tokenizer, for engine-backed judge tests. */
final class TestModels {
    static final int LLAMA3_VOCAB = 128256;
    static final int EOT_ID = 128009;
    /** Llama 3.1's template writes today's date into the system header; a fixed clock keeps prompts fixed. */
    static final Clock FIXED_CLOCK = Clock.fixed(Instant.parse("2025-03-07T10:00:00Z"), ZoneOffset.UTC);

    private TestModels() {}

    /** The cached folder (scripts/fetch-test-tokenizers.sh); fails the test, never skips, when absent. */
    static ModelTokenizer llamaTokenizer() {
        String root = System.getProperty("tpo.tokenizers.dir");
        if (root == null || root.isBlank()) {
            fail("system property tpo.tokenizers.dir is not set; run the tests through Maven (method/pom.xml sets it)");
        }
        Path dir = Path.of(root).resolve("llama3_1");
        if (!Files.isRegularFile(dir.resolve("tokenizer.json"))) {
            fail("tokenizer files are missing under " + dir + "; run scripts/fetch-test-tokenizers.sh first");
        }
        return ModelTokenizer.open(dir, FIXED_CLOCK);
    }

    static ObjectNode json(String architecture, String modelType, int maxPositions) {
        ObjectNode c = new ObjectMapper().createObjectNode();
        c.putArray("architectures").add(architecture);
        c.put("model_type", modelType);
        c.put("vocab_size", LLAMA3_VOCAB);
        c.put("hidden_size", 16);
        c.put("intermediate_size", 32);
        c.put("num_hidden_layers", 2);
        c.put("num_attention_heads", 4);
        c.put("num_key_value_heads", 2);
        c.put("rms_norm_eps", 1e-5);
        c.put("max_position_embeddings", maxPositions);
        c.put("tie_word_embeddings", false);
        c.put("initializer_range", 0.3);
        return c;
    }

    static CausalLm random(ObjectNode json, long seed) {
        return ModelInitializer.random(ModelConfig.parse(json, "test"), seed, Compute.cpu());
    }

    static CausalLm rewardModel(long seed) {
        ObjectNode c = json("LlamaForSequenceClassification", "llama", 2048);
        c.put("num_labels", 1);
        return random(c, seed);
    }
}
