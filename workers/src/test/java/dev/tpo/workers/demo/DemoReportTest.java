package dev.tpo.workers.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tpo.api.ArtifactRef;
import dev.tpo.api.steps.EvalResult;
import dev.tpo.api.steps.IterationSummary;
import dev.tpo.api.steps.PairSummary;
import java.nio.file.Files;
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
        return new EvalResult(150, "accuracy", score, null, null, score, 2.0, 41.0, 1.0,
                Map.of("plus-times", score - 2, "minus-times", score + 2));
    }

    private static IterationSummary iteration(int k) {
        ArtifactRef model = new ArtifactRef("s3://tpo-artifacts/runs/r/iter-" + k + "/model/", "0".repeat(64), 1);
        return new IterationSummary(k, "specific", model, 128, 1024, 3,
                new PairSummary(128, 110, 10, 8, 3, 1024, 20.0, 30.0, 1.0),
                Map.of("rewards/margins", 1.5, "rewards/accuracies", 0.9), 0, eval(10 + 20 * k),
                Map.of("generate", 2.0, "train", 3.0), Map.of("generate", 1.5), null, 0L, null);
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
}
