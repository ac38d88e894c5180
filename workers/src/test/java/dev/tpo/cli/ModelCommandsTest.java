package dev.tpo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code tpo model} commands end to end on a tiny random folder: outputs, and one clear line per bad input. */
class ModelCommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    static Path model;

    @BeforeAll
    static void makeModel() throws Exception {
        Path config = dir.resolve("config.json");
        Files.writeString(
                config,
                "{\"architectures\":[\"Qwen2ForCausalLM\"],\"model_type\":\"qwen2\","
                        + "\"vocab_size\":64,\"hidden_size\":16,\"intermediate_size\":32,\"num_hidden_layers\":2,"
                        + "\"num_attention_heads\":4,\"num_key_value_heads\":1,\"eos_token_id\":2,"
                        + "\"tie_word_embeddings\":true,\"initializer_range\":0.3}");
        model = dir.resolve("model");
        assertEquals(
                0,
                TpoCommand.execute(
                        "model", "init", "--config", config.toString(), "--output", model.toString(), "--seed", "9"));
    }

    private static Run run(String... args) {
        CommandOutput result = CommandOutput.run(args);
        return new Run(result.exitCode(), result.err());
    }

    private record Run(int code, String err) {}

    private static List<JsonNode> readLines(Path file) throws Exception {
        return Files.readAllLines(file).stream()
                .map(l -> {
                    try {
                        return JSON.readTree(l);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                })
                .toList();
    }

    @Test
    void scoreWritesOneLogProbPerNextTokenInInputOrder() throws Exception {
        Path in = dir.resolve("score.jsonl");
        Files.writeString(in, "{\"input_ids\":[1,5,9,10,11]}\n\n{\"input_ids\":[1,7]}\n{\"input_ids\":[3]}\n");
        Path out = dir.resolve("score-out.jsonl");
        assertEquals(
                0,
                run("model", "score", "--model", model.toString(), "--input", in.toString(), "--output", out.toString())
                        .code());
        List<JsonNode> rows = readLines(out);
        assertEquals(3, rows.size());
        assertEquals(4, rows.get(0).get("logprobs").size());
        assertEquals(1, rows.get(1).get("logprobs").size());
        assertEquals(0, rows.get(2).get("logprobs").size());
        for (JsonNode v : rows.get(0).get("logprobs")) {
            assertTrue(v.asDouble() < 0 && v.asDouble() > -20);
        }
    }

    @Test
    void greedyGenerationIsDeterministicAndSamplingFollowsTheSeed() throws Exception {
        Path in = dir.resolve("gen.jsonl");
        Files.writeString(in, "{\"input_ids\":[1,5,9]}\n{\"input_ids\":[1,8,8,8,8]}\n");
        Path a = dir.resolve("gen-a.jsonl");
        Path b = dir.resolve("gen-b.jsonl");
        for (Path out : List.of(a, b)) {
            assertEquals(
                    0,
                    run(
                                    "model",
                                    "generate",
                                    "--model",
                                    model.toString(),
                                    "--input",
                                    in.toString(),
                                    "--output",
                                    out.toString(),
                                    "--max-new-tokens",
                                    "6",
                                    "--ignore-eos")
                            .code());
        }
        assertEquals(Files.readString(a), Files.readString(b));
        assertEquals(6, readLines(a).get(0).get("output_ids").size());
        Path s = dir.resolve("gen-s.jsonl");
        assertEquals(
                0,
                run(
                                "model",
                                "generate",
                                "--model",
                                model.toString(),
                                "--input",
                                in.toString(),
                                "--output",
                                s.toString(),
                                "--max-new-tokens",
                                "4",
                                "--temperature",
                                "1",
                                "--top-p",
                                "0.9",
                                "--samples",
                                "3",
                                "--seed",
                                "5")
                        .code());
        List<JsonNode> samples = readLines(s);
        assertEquals(6, samples.size());
        assertEquals(2, samples.get(5).get("sample").asInt());
    }

    @Test
    void badInputGivesOneErrorLineNamingTheProblemAndExitCode2() throws Exception {
        Path in = dir.resolve("bad.jsonl");
        Files.writeString(in, "{\"input_ids\":[1,2]}\n{\"input_ids\":[1,99]}\n");
        Run r = run(
                "model",
                "score",
                "--model",
                model.toString(),
                "--input",
                in.toString(),
                "--output",
                dir.resolve("x.jsonl").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("bad.jsonl:2") && r.err().contains("99"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());

        Files.writeString(in, "{\"input_ids\":[1,2]}\n{\"input_ids\":[1,\n");
        r = run(
                "model",
                "generate",
                "--model",
                model.toString(),
                "--input",
                in.toString(),
                "--output",
                dir.resolve("x.jsonl").toString(),
                "--max-new-tokens",
                "2");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("bad.jsonl:2: malformed JSON"), r.err());

        r = run(
                "model",
                "score",
                "--model",
                dir.resolve("missing").toString(),
                "--input",
                in.toString(),
                "--output",
                dir.resolve("x.jsonl").toString());
        assertEquals(2, r.code());

        Files.writeString(in, "{\"input_ids\":[1,2]}\n");
        r = run(
                "model",
                "score",
                "--model",
                dir.resolve("missing").toString(),
                "--input",
                in.toString(),
                "--output",
                dir.resolve("x.jsonl").toString());
        assertTrue(r.err().contains("model folder not found"), r.err());
        assertTrue(Files.notExists(dir.resolve("x.jsonl")), "no partial output after an error");

        r = run(
                "model",
                "generate",
                "--model",
                model.toString(),
                "--input",
                in.toString(),
                "--output",
                dir.resolve("x.jsonl").toString(),
                "--max-new-tokens",
                "2",
                "--top-p",
                "1.5");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("top-p"), r.err());
    }
}
