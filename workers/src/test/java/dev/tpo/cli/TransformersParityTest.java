package dev.tpo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Our engine against Hugging Face transformers (the peer venv made by peers/make-venv.sh) on random tiny folders
 * that transformers itself wrote: per-token log-probs within 1e-4 and greedy generation token for token, one
 * prompt at a time and as a left-padded batch.
 */
@Tag("parity")
@Timeout(value = 20, unit = TimeUnit.MINUTES)
class TransformersParityTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static List<JsonNode> read(Path file, String field) throws Exception {
        return Peers.read(file).stream().map(n -> n.get(field)).toList();
    }

    @ParameterizedTest
    @ValueSource(strings = {"llama --rope-llama3", "llama --tie", "qwen2", "qwen2 --tie"})
    void logProbsAndGreedyGenerationMatchTransformers(String variant) throws Exception {
        String[] parts = variant.split(" ");
        Path model = dir.resolve("model");
        List<String> make =
                new ArrayList<>(List.of("make-model", "--arch", parts[0], "--out", model.toString(), "--seed", "7"));
        for (int i = 1; i < parts.length; i++) {
            make.add(parts[i]);
        }
        Peers.python(make.toArray(String[]::new));
        Path ids = dir.resolve("ids.jsonl");
        SplittableRandom random = new SplittableRandom(3);
        StringBuilder lines = new StringBuilder();
        for (int n : new int[] {2, 9, 33, 70}) {
            lines.append(JSON.writeValueAsString(
                            java.util.Map.of("input_ids", random.ints(n, 0, 256).toArray())))
                    .append('\n');
        }
        Files.writeString(ids, lines);

        Peers.python(
                "score",
                "--model",
                model.toString(),
                "--input",
                ids.toString(),
                "--output",
                dir.resolve("hf-score.jsonl").toString());
        assertEquals(
                0,
                TpoCommand.execute(
                        "model",
                        "score",
                        "--model",
                        model.toString(),
                        "--input",
                        ids.toString(),
                        "--output",
                        dir.resolve("our-score.jsonl").toString()));
        List<JsonNode> theirs = read(dir.resolve("hf-score.jsonl"), "logprobs");
        List<JsonNode> ours = read(dir.resolve("our-score.jsonl"), "logprobs");
        for (int i = 0; i < theirs.size(); i++) {
            assertEquals(theirs.get(i).size(), ours.get(i).size());
            for (int t = 0; t < theirs.get(i).size(); t++) {
                assertEquals(
                        theirs.get(i).get(t).asDouble(),
                        ours.get(i).get(t).asDouble(),
                        1e-4,
                        variant + " sequence " + i + " token " + t);
            }
        }

        Peers.python(
                "generate",
                "--model",
                model.toString(),
                "--input",
                ids.toString(),
                "--output",
                dir.resolve("hf-gen.jsonl").toString(),
                "--max-new-tokens",
                "16");
        Peers.python(
                "generate",
                "--model",
                model.toString(),
                "--input",
                ids.toString(),
                "--output",
                dir.resolve("hf-gen-batch.jsonl").toString(),
                "--max-new-tokens",
                "16",
                "--batch",
                "--padding-side",
                "left");
        assertEquals(
                0,
                TpoCommand.execute(
                        "model",
                        "generate",
                        "--model",
                        model.toString(),
                        "--input",
                        ids.toString(),
                        "--output",
                        dir.resolve("our-gen.jsonl").toString(),
                        "--max-new-tokens",
                        "16",
                        "--ignore-eos"));
        List<JsonNode> ourGen = read(dir.resolve("our-gen.jsonl"), "output_ids");
        assertEquals(read(dir.resolve("hf-gen.jsonl"), "output_ids"), ourGen, variant + ": one prompt at a time");
        assertEquals(read(dir.resolve("hf-gen-batch.jsonl"), "output_ids"), ourGen, variant + ": left-padded batch");
    }
}
