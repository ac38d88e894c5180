package dev.tpo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ValidatePipelineTest {
    @TempDir
    Path dir;

    private Path spec(String json) throws Exception {
        Path file = dir.resolve("spec.json");
        Files.writeString(file, json);
        return file;
    }

    @Test
    void goodSpecPrintsItWithDefaultsFilled() throws Exception {
        Path file = spec("{\"seed_policy\": \"s3://bkt/models/seed/\", \"train_prompts\": \"s3://bkt/train.jsonl\","
                + " \"eval_prompts\": \"s3://bkt/eval.jsonl\"}");
        CommandOutput result = CommandOutput.run("validate", "--spec", file.toString());
        assertEquals(0, result.exitCode(), result.toString());
        assertTrue(result.out().contains("\"iterations\" : 2"), result.toString());
        assertTrue(result.out().contains("\"control\" : \"tpo-control\""), result.toString());
        assertTrue(result.out().contains("\"artifact_root\" : \"s3://tpo-artifacts/\""), result.toString());
    }

    @Test
    void badSpecNamesEveryFieldAndExits2() throws Exception {
        Path file = spec("{\"seed_policy\": \"s3://bkt/models/seed/\", \"train_prompts\": \"s3://bkt/train.jsonl\","
                + " \"eval_prompts\": \"s3://bkt/eval.jsonl\", \"iterations\": 0, \"name\": \"has space\"}");
        CommandOutput result = CommandOutput.run("validate", "--spec", file.toString());
        assertEquals(2, result.exitCode(), result.toString());
        assertTrue(result.err().contains("iterations"), result.toString());
        assertTrue(result.err().contains("name"), result.toString());
        assertEquals(
                1, result.err().lines().filter(l -> l.startsWith("error: ")).count(), result.toString());
        assertTrue(result.err().contains("invalid run spec (2 problems)"), result.toString());
        assertEquals("", result.out());
    }

    @Test
    void unknownFieldAndMalformedJsonAreNamed() throws Exception {
        Path file = spec("{\"seed_policy\": \"s3://bkt/m/\", \"train_prompts\": \"s3://bkt/t.jsonl\","
                + " \"eval_prompts\": \"s3://bkt/e.jsonl\", \"dpo\": {\"betta\": 0.1}}");
        CommandOutput unknown = CommandOutput.run("validate", "--spec", file.toString());
        assertEquals(2, unknown.exitCode(), unknown.toString());
        assertTrue(unknown.err().contains("dpo.betta: unknown field"), unknown.toString());

        Path broken = spec("{\"seed_policy\": ");
        CommandOutput malformed = CommandOutput.run("validate", "--spec", broken.toString());
        assertEquals(2, malformed.exitCode(), malformed.toString());
        assertTrue(malformed.err().contains("not valid JSON"), malformed.toString());
    }

    @Test
    void everyExampleSpecIsValid() throws Exception {
        // Surefire runs in workers/, so the repository's examples are one level up.
        try (var specs = Files.list(Path.of("..", "examples", "specs"))) {
            for (Path example :
                    specs.filter(p -> p.toString().endsWith(".json")).toList()) {
                CommandOutput result = CommandOutput.run("validate", "--spec", example.toString());
                assertEquals(0, result.exitCode(), example + ": " + result);
            }
        }
    }

    @Test
    void missingFileIsAnInputError() {
        CommandOutput result =
                CommandOutput.run("validate", "--spec", dir.resolve("nope.json").toString());
        assertEquals(2, result.exitCode(), result.toString());
        assertTrue(result.err().startsWith("error: --spec: file not found:"), result.toString());
    }
}
