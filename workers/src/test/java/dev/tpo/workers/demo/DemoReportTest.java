package dev.tpo.workers.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tpo.api.ArtifactRef;
import dev.tpo.api.steps.EvalResult;
import dev.tpo.api.steps.IterationSummary;
import dev.tpo.api.steps.PairSummary;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** demo-report.json (what {@code tpo demo --json} writes) has the run spec's snake_case keys. */
class DemoReportTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static EvalResult eval(double score) {
        return new EvalResult(
                150,
                "accuracy",
                score,
                null,
                null,
                score,
                2.0,
                41.0,
                1.0,
                Map.of("plus-times", score - 2, "minus-times", score + 2));
    }

    private static IterationSummary iteration(int k) {
        ArtifactRef model = new ArtifactRef("s3://tpo-artifacts/runs/r/iter-" + k + "/model/", "0".repeat(64), 1);
        return new IterationSummary(
                k,
                "specific",
                model,
                128,
                1024,
                3,
                8192,
                new PairSummary(128, 110, 10, 8, 3, 1024, 20.0, 30.0, 1.0),
                Map.of("rewards/margins", 1.5, "rewards/accuracies", 0.9),
                0,
                eval(10 + 20 * k),
                Map.of("generate", 2.0, "train", 3.0),
                Map.of("generate", 1.5),
                null,
                0L,
                null);
    }

    @Test
    void theJsonReportHasOnlySnakeCaseKeysAndItsRowsReadBack() throws Exception {
        DemoReport report = new DemoReport("cpu");
        List<DemoRow> tpo = List.of(DemoRow.seed(eval(9.3)), DemoRow.of(iteration(1)), DemoRow.of(iteration(2)));
        report.add(DemoArm.TPO, "demo-tpo-1", tpo);
        report.add(DemoArm.DRB, "demo-drb-1", List.of(DemoRow.seed(eval(11.3)), DemoRow.of(iteration(1))));
        report.orchestration(DemoArm.TPO, 19.1, 18.2);
        report.wallSeconds(174);
        Path json = dir.resolve("out.json");
        report.write(dir.resolve("out"), json);

        JsonNode root = JSON.readTree(json.toFile());
        List<String> camel = new ArrayList<>();
        collectCamelCase(root, "$", camel);
        assertEquals(List.of(), camel, root.toPrettyString());
        assertEquals(9.3, root.path("seed").path("eval_score").asDouble());
        assertEquals(11.3, root.path("seed").path("eval_score_direct").asDouble());
        JsonNode second = root.path("tpo").path(1);
        assertEquals(2, second.path("iteration").asInt());
        assertEquals(1.5, second.path("reward_margin").asDouble());
        assertEquals(48.0, second.path("per_category").path("plus-times").asDouble(), "categories are data");
        assertTrue(root.path("tpo_orchestration").has("activity_busy_seconds"), root.toPrettyString());
        assertEquals(root, JSON.readTree(dir.resolve("out/demo-report.json").toFile()));
        assertEquals(tpo.get(2), JSON.treeToValue(second, DemoRow.class));
    }

    private static void collectCamelCase(JsonNode node, String path, List<String> into) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                if (!field.getKey().equals(field.getKey().toLowerCase())) {
                    into.add(path + "." + field.getKey());
                }
                collectCamelCase(field.getValue(), path + "." + field.getKey(), into);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                collectCamelCase(node.get(i), path + "[" + i + "]", into);
            }
        }
    }

    private static final EvalResult EVAL =
            new EvalResult(40, "accuracy", 25.0, null, null, 25.0, 10.0, 80.0, 12.0, Map.of("addition", 50.0));

    private static IterationSummary smollm2Iteration(Map<String, Double> trainMetrics) {
        return new IterationSummary(
                1,
                "specific",
                null,
                16,
                128,
                32,
                9600,
                new PairSummary(16, 7, 5, 4, 32, 128, 12.0, 14.0, 1.0),
                trainMetrics,
                0,
                EVAL,
                Map.of("generate", 50.0, "train", 20.0),
                Map.of("generate", 40.0, "train", 18.0),
                null,
                0L,
                null);
    }

    @Test
    void rowsCarryThroughputAndSampleMalformedRate() {
        DemoRow row = DemoRow.of(smollm2Iteration(Map.of("train_tokens_per_second", 321.0, "rewards/margins", 0.5)));
        assertEquals(240.0, row.generateTokensPerSecond(), 1e-9, "9600 tokens in 40 s of generate compute");
        assertEquals(25.0, row.sampleMalformedRate(), 1e-9, "32 of 128 samples");
        assertEquals(321.0, row.trainTokensPerSecond());
        assertEquals(7, row.pairs());
        assertNull(DemoRow.of(smollm2Iteration(Map.of())).trainTokensPerSecond(), "no pairs, no training");
        assertNull(DemoRow.seed(EVAL).generateTokensPerSecond());
    }

    @Test
    void seedPreparationShowsInTableAndJson() {
        DemoReport report = new DemoReport("smollm2");
        report.seedPreparation(Map.of("raw_seed_well_formed", 0));
        report.add(
                DemoArm.TPO,
                "run-1",
                List.of(DemoRow.seed(EVAL), DemoRow.of(smollm2Iteration(Map.of("train_tokens_per_second", 321.0)))));
        JsonNode json = report.json(new ObjectMapper());
        assertEquals(
                0, json.path("seed_preparation").path("raw_seed_well_formed").asInt(), json.toString());
        JsonNode first = json.path("tpo").path(0);
        assertEquals(240.0, first.path("generate_tokens_per_second").asDouble(), 1e-9, first.toString());
        assertEquals(25.0, first.path("sample_malformed_rate").asDouble(), 1e-9, first.toString());
        String table = report.table();
        assertTrue(table.contains("seed raw_seed_well_formed: 0"), table);
        assertTrue(table.contains("25.0%") && table.contains(" 240 "), table);
    }
}
