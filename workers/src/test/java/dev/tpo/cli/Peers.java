package dev.tpo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tpo.workers.demo.Smollm2Preset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs peers/hf_reference.py in the peer venv (peers/make-venv.sh) and reads its JSONL answers. */
final class Peers {
    static final ObjectMapper JSON = new ObjectMapper();

    private Peers() {}

    static Path repoRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve("peers"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException(
                    "repository root with peers/ not found above " + Path.of("").toAbsolutePath());
        }
        return p;
    }

    /** A cached npm tokenizer folder (scripts/fetch-test-tokenizers.sh); fails, never skips, when absent. */
    static Path tokenizer(String name) {
        Path dir = repoRoot().resolve(".cache/tokenizers").resolve(name);
        assertTrue(
                Files.isRegularFile(dir.resolve("tokenizer.json")),
                dir + " missing: run scripts/fetch-test-tokenizers.sh (./run-tests does)");
        return dir;
    }

    /**
     * The SmolLM2-135M-Instruct folder scripts/fetch-smollm2.sh makes (TPO_SMOLLM2_DIR, else its default); fails,
     * never skips, when absent.
     */
    static Path smollm2() {
        Path dir = Smollm2Preset.defaultModelDir();
        assertTrue(
                Files.isRegularFile(dir.resolve("model.safetensors")),
                dir + " missing: run scripts/fetch-smollm2.sh (./run-tests does)");
        return dir;
    }

    /** Runs the peer; returns its stderr+stdout (diagnostics) and fails the test on a non-zero exit. */
    static String python(String... args) throws Exception {
        Path root = repoRoot();
        Path python = root.resolve(".venv-peers/bin/python");
        assertTrue(Files.isExecutable(python), "peer venv missing: run peers/make-venv.sh (./run-tests does)");
        List<String> cmd = new ArrayList<>(
                List.of(python.toString(), root.resolve("peers/hf_reference.py").toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(600, TimeUnit.SECONDS), "peer timed out");
        assertEquals(0, p.exitValue(), "peer failed: " + out);
        return out;
    }

    static List<JsonNode> read(Path file) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            if (!line.isBlank()) {
                out.add(JSON.readTree(line));
            }
        }
        return out;
    }

    static void writeJsonl(Path file, List<?> rows) throws Exception {
        StringBuilder sb = new StringBuilder();
        for (Object row : rows) {
            sb.append(JSON.writeValueAsString(row)).append('\n');
        }
        Files.writeString(file, sb);
    }
}
