package dev.tpo.activities;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tpo.api.ArtifactRef;
import dev.tpo.api.Failures;
import dev.tpo.api.activities.PrepareRunActivity;
import dev.tpo.api.spec.InvalidRunSpecException;
import dev.tpo.api.spec.RunSpec;
import dev.tpo.api.spec.RunSpecParser;
import dev.tpo.api.steps.PrepareRunInput;
import dev.tpo.api.steps.RunContext;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input, one row each: the spec's own checks (what the workflow runs first, before any activity) and the
 * input checks of the run's first step (before any GPU work). Each is rejected with a message naming the field, file
 * or line; the input checks fail as non-retryable and write nothing under the run's folder.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class BadInputTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String GOOD = "{\"id\":\"a\",\"prompt\":\"1+1?\",\"reference\":\"2\"}\n\n"
            + "{\"id\":\"b\",\"prompt\":\"2+2?\",\"reference\":\"4\"}\n";

    @TempDir
    static Path tempDir;

    private StepTestSupport t;
    private TestActivityEnvironment env;
    private PrepareRunActivity prepare;
    private ArtifactRef seed;
    private ArtifactRef prompts;
    private Path seedSource;

    @BeforeAll
    void setUp() {
        t = new StepTestSupport(tempDir, "bad-input");
        seed = t.tinyModel("models/seed", 1);
        seedSource = t.root.resolve("models-src/models/seed");
        prompts = t.putText("user/prompts.jsonl", GOOD);
        env = StepTestSupport.activityEnvironment(new PrepareRunStep(t.services));
        prepare = env.newActivityStub(PrepareRunActivity.class, StepTestSupport.ONE_ATTEMPT);
    }

    @AfterAll
    void tearDown() {
        env.close();
    }

    /** A spec rejected by its parser, as the workflow rejects it before scheduling anything. */
    private record SpecCase(String name, Function<ObjectNode, String> spec, String expected) {}

    /** A spec that parses, whose inputs the first step rejects. */
    private record InputCase(String name, Function<ObjectNode, ObjectNode> spec, String expected) {}

    private ObjectNode goodSpec() {
        ObjectNode spec = JSON.createObjectNode();
        spec.put("seed_policy", seed.uri());
        spec.put("train_prompts", prompts.uri());
        spec.put("eval_prompts", prompts.uri());
        spec.put("artifact_root", t.run.artifactRoot());
        return spec;
    }

    private static Function<ObjectNode, String> with(Consumer<ObjectNode> change) {
        return spec -> {
            change.accept(spec);
            return spec.toString();
        };
    }

    private static ObjectNode section(ObjectNode spec, String name) {
        return spec.has(name) ? (ObjectNode) spec.get(name) : spec.putObject(name);
    }

    private List<SpecCase> specCases() {
        return List.of(
                new SpecCase(
                        "malformed JSON",
                        spec -> "{\"seed_policy\": \"s3://b/m/\",\n  \"iterations\": }",
                        "not valid JSON"),
                new SpecCase(
                        "malformed JSON names the line",
                        spec -> "{\"seed_policy\": \"s3://b/m/\",\n  \"iterations\": }",
                        "(line 2"),
                new SpecCase(
                        "unknown field", with(s -> section(s, "dpo").put("betta", 0.1)), "dpo.betta: unknown field"),
                new SpecCase(
                        "wrong type", with(s -> s.put("iterations", "two")), "iterations: 'two' is not an integer"),
                new SpecCase("zero iterations", with(s -> s.put("iterations", 0)), "iterations: 0 is not in [1, 100]"),
                new SpecCase(
                        "negative prompt count",
                        with(s -> s.put("prompts_per_iteration", -5)),
                        "prompts_per_iteration: -5 is not in"),
                new SpecCase(
                        "one sample per prompt",
                        with(s -> section(s, "generation").put("samples_per_prompt", 1)),
                        "generation.samples_per_prompt: 1 is not in [2, 64]"),
                new SpecCase(
                        "beta zero",
                        with(s -> section(s, "dpo").put("beta", 0.0)),
                        "dpo.beta: 0.0 must be a positive number"),
                new SpecCase(
                        "beta negative",
                        with(s -> section(s, "dpo").put("beta", -0.1)),
                        "dpo.beta: -0.1 must be a positive number"),
                new SpecCase(
                        "temperature below zero",
                        with(s -> section(s, "generation").put("temperature", -0.5)),
                        "generation.temperature: -0.5 is not in (0, 5]"),
                new SpecCase(
                        "top_p above one",
                        with(s -> section(s, "generation").put("top_p", 1.5)),
                        "generation.top_p: 1.5 is not in (0, 1]"),
                new SpecCase(
                        "top_p zero",
                        with(s -> section(s, "generation").put("top_p", 0.0)),
                        "generation.top_p: 0.0 is not in (0, 1]"),
                new SpecCase(
                        "artifact_root over http",
                        with(s -> s.put("artifact_root", "http://bucket/runs/")),
                        "artifact_root: 'http://bucket/runs/' is not an s3://bucket/key or file:/// URI"),
                new SpecCase(
                        "artifact_root with '..'",
                        with(s -> s.put("artifact_root", "s3://tpo-artifacts/a/../../b/")),
                        "artifact_root: 's3://tpo-artifacts/a/../../b/' must not contain '..' path segments"),
                new SpecCase(
                        "prompts with '..'",
                        with(s -> s.put("train_prompts", "file:///data/../../etc/passwd")),
                        "train_prompts: 'file:///data/../../etc/passwd' must not contain '..'"),
                new SpecCase(
                        "name with a path separator",
                        with(s -> s.put("name", "math/v1")),
                        "name: 'math/v1' must be 1-64 letters"),
                new SpecCase("name '..'", with(s -> s.put("name", "..")), "name: '..' must be 1-64 letters"),
                new SpecCase(
                        "judge endpoint not http",
                        with(s -> {
                            ObjectNode judge = section(s, "judge");
                            judge.put("type", "pointwise_llm");
                            judge.putObject("endpoint")
                                    .put("base_url", "ftp://judge.internal/v1")
                                    .put("model", "m");
                        }),
                        "judge.endpoint.base_url: an http:// or https:// URL is required, got ftp://judge.internal/v1"),
                new SpecCase(
                        "credentials in the tracking URL",
                        with(s -> section(s, "tracking").put("mlflow_uri", "http://user:secret@mlflow:5000")),
                        "tracking.mlflow_uri: must not carry credentials"));
    }

    private List<InputCase> inputCases() {
        return List.of(
                new InputCase(
                        "missing model folder",
                        s -> s.put("seed_policy", t.store.folderUri("nowhere")),
                        "seed_policy: " + t.store.folderUri("nowhere") + " has no config.json"),
                new InputCase(
                        "model folder without config",
                        s -> s.put(
                                "seed_policy",
                                folder("readme-only", dir -> write(dir.resolve("README.md"), "a model card"))),
                        "has no config.json"),
                new InputCase(
                        "model folder without tokenizer",
                        s -> s.put(
                                "seed_policy",
                                seedVariant("no-tokenizer", dir -> delete(dir.resolve("tokenizer.json")))),
                        "has no tokenizer.json"),
                new InputCase(
                        "truncated safetensors",
                        s -> s.put(
                                "seed_policy",
                                seedVariant("truncated", dir -> truncate(dir.resolve("model.safetensors"), 4096))),
                        "truncated"),
                new InputCase(
                        "config and weights disagree",
                        s -> s.put(
                                "seed_policy",
                                seedVariant(
                                        "wrong-config", dir -> editConfig(dir, c -> c.put("intermediate_size", 48)))),
                        "has shape [32, 16] but config.json implies [48, 16]"),
                new InputCase(
                        "no chat template",
                        s -> s.put(
                                "seed_policy",
                                seedVariant(
                                        "no-template",
                                        dir -> editJson(
                                                dir.resolve("tokenizer_config.json"), c -> c.remove("chat_template")))),
                        "has no chat template"),
                new InputCase(
                        "prompts JSONL with a bad line",
                        s -> s.put("train_prompts", text("bad-line.jsonl", GOOD + "{\"id\":\"c\",\"prompt\":}\n")),
                        t.store.uri("user/bad-line.jsonl") + ":4"),
                new InputCase(
                        "duplicate prompt ids",
                        s -> s.put(
                                "eval_prompts",
                                text("dup.jsonl", GOOD + "{\"id\":\"a\",\"prompt\":\"3+3?\",\"reference\":\"6\"}\n")),
                        "duplicate id 'a'"),
                new InputCase(
                        "empty prompt set",
                        s -> s.put("train_prompts", text("empty.jsonl", "\n\n")),
                        t.store.uri("user/empty.jsonl") + " has no prompts"),
                new InputCase(
                        "prompt set is a folder",
                        s -> s.put("train_prompts", t.store.folderUri("user")),
                        "is a folder; a prompt set is a JSONL file"),
                new InputCase(
                        "prompt longer than the context",
                        s -> s.put(
                                "eval_prompts",
                                text(
                                        "long.jsonl",
                                        GOOD + "{\"id\":\"long\",\"prompt\":\"" + "word ".repeat(600)
                                                + "\",\"reference\":\"1\"}\n")),
                        t.store.uri("user/long.jsonl") + ":4: prompt 'long' is"),
                new InputCase(
                        "verifier without a reference",
                        s -> s.put(
                                "train_prompts",
                                text("no-ref.jsonl", GOOD + "{\"id\":\"open\",\"prompt\":\"Write a poem\"}\n")),
                        "prompt 'open' has no reference"));
    }

    @TestFactory
    Stream<DynamicTest> rejectsEachBadInputNamingIt() {
        List<DynamicTest> tests = new ArrayList<>();
        for (SpecCase c : specCases()) {
            tests.add(DynamicTest.dynamicTest("spec: " + c.name(), () -> {
                String json = c.spec().apply(goodSpec());
                InvalidRunSpecException e =
                        assertThrows(InvalidRunSpecException.class, () -> new RunSpecParser().parse(json));
                assertTrue(e.getMessage().contains(c.expected()), e.getMessage());
            }));
        }
        for (InputCase c : inputCases()) {
            tests.add(DynamicTest.dynamicTest("input: " + c.name(), () -> {
                RunSpec spec =
                        new RunSpecParser().parse(c.spec().apply(goodSpec()).toString());
                ActivityFailure failure =
                        assertThrows(ActivityFailure.class, () -> prepare.prepareRun(new PrepareRunInput(t.run, spec)));
                ApplicationFailure cause = (ApplicationFailure) failure.getCause();
                assertEquals(Failures.INVALID_INPUT, cause.getType(), cause.getOriginalMessage());
                assertTrue(cause.isNonRetryable());
                assertTrue(cause.getOriginalMessage().contains(c.expected()), cause.getOriginalMessage());
                assertEquals(List.of(), t.store.list("artifacts"), "a rejected run wrote something");
            }));
        }
        tests.add(DynamicTest.dynamicTest("run id: path separators and '..'", () -> {
            for (String bad : List.of("a/b", "..", "x/../../y", "a\\b", "")) {
                String problem = RunContext.runIdProblem(bad);
                assertTrue(problem != null && problem.contains("'" + bad + "' is not a valid run id"), bad);
            }
            assertEquals(null, RunContext.runIdProblem("tpo-run-20261129-120000"));
        }));
        tests.add(DynamicTest.dynamicTest("the good inputs pass (so each row fails for its own reason)", () -> {
            RunSpec spec = new RunSpecParser().parse(goodSpec().toString());
            assertEquals(2, prepare.prepareRun(new PrepareRunInput(t.run, spec)).trainPromptCount());
            t.store.delete("artifacts");
        }));
        assertTrue(tests.size() >= 30, "the table holds " + tests.size() + " cases");
        return tests.stream();
    }

    private String text(String name, String content) {
        return t.putText("user/" + name, content).uri();
    }

    /** A user folder with whatever {@code fill} puts in it, uploaded as-is (no listing). */
    private String folder(String name, Consumer<Path> fill) {
        Path dir = t.root.resolve("variants").resolve(name);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        fill.accept(dir);
        return t.store.putFolder("user/" + name, dir).uri();
    }

    /** The seed model's files with one change. */
    private String seedVariant(String name, Consumer<Path> change) {
        return folder(name, dir -> {
            try (Stream<Path> files = Files.list(seedSource)) {
                for (Path f : files.toList()) {
                    Files.copy(f, dir.resolve(f.getFileName()));
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            change.accept(dir);
        });
    }

    private static void write(Path file, String content) {
        try {
            Files.writeString(file, content);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void delete(Path file) {
        try {
            Files.delete(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void truncate(Path file, long bytes) {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(bytes);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void editConfig(Path dir, Consumer<ObjectNode> change) {
        editJson(dir.resolve("config.json"), change);
    }

    private static void editJson(Path file, Consumer<ObjectNode> change) {
        try {
            ObjectNode node = (ObjectNode) JSON.readTree(file.toFile());
            change.accept(node);
            JSON.writeValue(file.toFile(), node);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
