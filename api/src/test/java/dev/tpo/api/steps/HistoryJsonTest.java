package dev.tpo.api.steps;

import static dev.tpo.api.JsonKeys.camelCaseKeys;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import dev.tpo.api.ArtifactRef;
import dev.tpo.api.spec.RunSpec;
import dev.tpo.api.spec.TrackingSettings;
import io.temporal.api.common.v1.Payload;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.common.converter.JacksonJsonPayloadConverter;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What people read in Temporal's history and Web UI (activity inputs and outputs, the run's result, its progress
 * query) has the run spec's snake_case keys, whichever ObjectMapper writes it: Temporal's default data converter,
 * which knows nothing of ours, included.
 */
class HistoryJsonTest {
    private static final DataConverter TEMPORAL = DefaultDataConverter.newDefaultInstance();
    private static final ObjectMapper PLAIN = new ObjectMapper();
    private static final String HEX = "0123456789abcdef".repeat(4);

    static ArtifactRef ref(String key) {
        return new ArtifactRef("s3://tpo-artifacts/runs/run-1/" + key, HEX, 42);
    }

    /** Every field set, so that no key can hide behind a null. */
    static EvalResult eval(double score) {
        return new EvalResult(
                150,
                "win_rate",
                score,
                score,
                score + 1,
                12.5,
                3.0,
                140.5,
                60.25,
                Map.of("plus-times", score - 1, "minus-times", score + 1));
    }

    static IterationSummary iteration(int k) {
        return new IterationSummary(
                k,
                "specific",
                ref("iter-" + k + "/model/"),
                128,
                1024,
                7,
                9000,
                new PairSummary(128, 110, 10, 8, 7, 1024, 21.5, 30.25, 0.75),
                Map.of("loss", 0.5, "rewards/margins", 1.25),
                3,
                eval(40 + k),
                Map.of("generate", 12.0, "train", 30.5),
                Map.of("generate", 11.0, "train", 30.0),
                artifacts(k),
                1_700_000_000_000L + k,
                ref("iter-" + k + "/report.json"));
    }

    static IterationArtifacts artifacts(int k) {
        return new IterationArtifacts(
                ref("iter-" + k + "/pairs.jsonl"),
                ref("iter-" + k + "/metrics.jsonl"),
                ref("iter-" + k + "/answers.jsonl"),
                ref("iter-" + k + "/eval-judgements.jsonl"));
    }

    static RunResult runResult() {
        return new RunResult(
                "run-1",
                "tpo-run",
                "completed",
                eval(30),
                List.of(iteration(1), iteration(2)),
                ref("iter-2/model/"),
                ref("report.json"));
    }

    static RunProgress runProgress() {
        return new RunProgress(
                "running",
                2,
                3,
                "generate",
                1,
                4,
                Map.of("train/loss", 0.5, "eval/score", 41.0),
                eval(30),
                List.of(iteration(1)));
    }

    private static JsonNode temporalJson(Object value) throws IOException {
        Payload payload = TEMPORAL.toPayload(value).orElseThrow();
        return PLAIN.readTree(payload.getData().toByteArray());
    }

    @Test
    void aCompleteRunResultAsTemporalStoresItHasOnlySnakeCaseKeys() throws IOException {
        JsonNode json = temporalJson(runResult());
        assertEquals(List.of(), camelCaseKeys(json, "$"), json.toPrettyString());
        assertEquals("run-1", json.path("run_id").asText(), json.toPrettyString());
        assertEquals(31.0, json.path("seed_eval").path("lc_win_rate").asDouble(), json.toPrettyString());
        JsonNode first = json.path("iterations").path(0);
        assertEquals(110, first.path("pairs").path("pairs").asInt());
        assertEquals(10, first.path("pairs").path("dropped_all_tied").asInt());
        assertEquals(7, first.path("malformed_samples").asInt());
        assertEquals(0.5, first.path("train_metrics").path("loss").asDouble(), "metric names are data: as they are");
        assertEquals(1.25, first.path("train_metrics").path("rewards/margins").asDouble());
        assertTrue(json.path("final_policy").path("uri").asText().endsWith("iter-2/model/"));
    }

    @Test
    void theProgressQueryAnswerHasOnlySnakeCaseKeys() throws IOException {
        JsonNode json = temporalJson(runProgress());
        assertEquals(List.of(), camelCaseKeys(json, "$"), json.toPrettyString());
        assertEquals(4, json.path("shards_total").asInt());
        assertEquals(0.5, json.path("latest_metrics").path("train/loss").asDouble());
    }

    @Test
    void runResultAndProgressSurviveTheRoundTrip() throws IOException {
        for (Object value : List.of(runResult(), runProgress())) {
            Payload payload = TEMPORAL.toPayload(value).orElseThrow();
            assertEquals(value, TEMPORAL.fromPayload(payload, value.getClass(), value.getClass()));
            assertEquals(value, PLAIN.readValue(PLAIN.writeValueAsString(value), value.getClass()));
        }
    }

    @Test
    void activityInputsAndOutputsSurviveTheRoundTripWithSnakeCaseKeys() throws IOException {
        RunContext run = new RunContext("run-1", "s3://tpo-artifacts/");
        List<Object> values = List.of(
                new ReportInput(run, iteration(1)),
                new RunReportInput(
                        run,
                        "tpo-run",
                        "specific",
                        eval(30),
                        artifacts(0),
                        ref("baseline.jsonl"),
                        List.of(iteration(1))),
                new TrackingStart(
                        run,
                        new RunSpec(
                                null,
                                "s3://b/seed/",
                                "s3://b/train.jsonl",
                                "s3://b/eval.jsonl",
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                new TrackingSettings("http://mlflow:5000", "math")),
                        "ab12",
                        1_700_000_000_000L),
                new TrackedRun("1", "f4f29e9d", "http://mlflow:5000/#/experiments/1/runs/f4f29e9d"),
                new TrackingUpdate(
                        run,
                        new TrackingSettings("http://mlflow:5000", null),
                        new TrackedRun("1", "f4f29e9d", "http://mlflow:5000/#/experiments/1/runs/f4f29e9d"),
                        eval(30),
                        artifacts(0),
                        1_700_000_000_000L,
                        List.of(iteration(1)),
                        "completed",
                        ref("report.json"),
                        1_700_000_000_500L),
                new PromptSelection(ref("iter-1/prompts.jsonl"), List.of(ref("iter-1/shard-0.jsonl")), 128, true),
                new GenerateOutput(ref("iter-1/generations-0.jsonl"), 64, 512, 3, 90_000, 12.5, false),
                new TrainOutput(
                        ref("iter-1/model/"), 40, 20, Map.of("loss", 0.4), ref("iter-1/metrics.jsonl"), 30.5, true),
                new RunInputs(
                        ref("seed/"), ref("train.jsonl"), ref("eval.jsonl"), 256, 150, ref("judge/"), ref("baseline/")),
                new PrepareRunInput(
                        run,
                        new RunSpec(
                                null,
                                "s3://b/seed/",
                                "s3://b/train.jsonl",
                                "s3://b/eval.jsonl",
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                new TrackingSettings("http://mlflow:5000", null))));
        for (Object value : values) {
            JsonNode json = temporalJson(value);
            assertEquals(List.of(), camelCaseKeys(json, "$"), json.toPrettyString());
            Payload payload = TEMPORAL.toPayload(value).orElseThrow();
            assertEquals(value, TEMPORAL.fromPayload(payload, value.getClass(), value.getClass()));
        }
    }

    /**
     * Every record of api/ names its properties in snake_case as Temporal's own mapper sees them, so a record added
     * later without {@code @JsonNaming} fails here rather than showing camelCase in the UI.
     */
    @Test
    void everyApiRecordNamesItsPropertiesInSnakeCase() throws Exception {
        ObjectMapper temporalMapper = JacksonJsonPayloadConverter.newDefaultObjectMapper();
        List<Class<?>> records = apiRecords();
        assertTrue(
                records.contains(RunResult.class)
                        && records.contains(ArtifactRef.class)
                        && records.contains(RunSpec.class)
                        && records.size() > 30,
                "found " + records);
        TreeSet<String> bad = new TreeSet<>();
        for (Class<?> type : records) {
            BeanDescription description =
                    temporalMapper.getSerializationConfig().introspect(temporalMapper.constructType(type));
            for (BeanPropertyDefinition property : description.findProperties()) {
                if (!property.getName().matches("[a-z][a-z0-9_]*")) {
                    bad.add(type.getSimpleName() + "." + property.getName());
                }
            }
        }
        assertEquals(new TreeSet<>(), bad);
    }

    /** The records compiled from api/src/main (every package under dev.tpo.api). */
    private static List<Class<?>> apiRecords() throws IOException, URISyntaxException, ClassNotFoundException {
        Path classes = Path.of(ArtifactRef.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toURI());
        List<Class<?>> records = new ArrayList<>();
        try (Stream<Path> files = Files.walk(classes.resolve("dev/tpo/api"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String name =
                        classes.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
                Class<?> type = Class.forName(name);
                if (type.isRecord()) {
                    records.add(type);
                }
            }
        }
        return records;
    }
}
