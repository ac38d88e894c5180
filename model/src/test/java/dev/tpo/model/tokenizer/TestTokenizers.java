package dev.tpo.model.tokenizer;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates the real tokenizer folders fetched by scripts/fetch-test-tokenizers.sh. */
final class TestTokenizers {
    static final String PROPERTY = "tpo.tokenizers.dir";

    private TestTokenizers() {}

    /** The cached folder of {@code name} (llama3_1, qwen3); fails the test, never skips, when absent. */
    static Path folder(String name) {
        String root = System.getProperty(PROPERTY);
        if (root == null || root.isBlank()) {
            fail("system property " + PROPERTY + " is not set; run the tests through Maven (model/pom.xml sets it)");
        }
        Path dir = Path.of(root).resolve(name);
        if (!Files.isRegularFile(dir.resolve("tokenizer.json"))
                || !Files.isRegularFile(dir.resolve("tokenizer_config.json"))) {
            fail("tokenizer files for " + name + " are missing under " + dir
                    + "; run scripts/fetch-test-tokenizers.sh from the repository root first");
        }
        return dir;
    }
}
