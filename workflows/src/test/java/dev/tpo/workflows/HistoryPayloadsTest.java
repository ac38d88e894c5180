package dev.tpo.workflows;

import static dev.tpo.api.JsonKeys.camelCaseKeys;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tpo.api.steps.RunProgress;
import dev.tpo.api.steps.RunResult;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A whole run's histories as the Web UI shows them: every JSON payload (the spec, step inputs and outputs, the
 * iterations' inputs and results, progress signals, the run's result) has only snake_case keys, and so has the
 * progress query's answer.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class HistoryPayloadsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String JSON_PLAIN = Base64.getEncoder().encodeToString("json/plain".getBytes());

    @Test
    void everyPayloadOfARunHasSnakeCaseKeys() throws Exception {
        try (TestWorkflowEnvironment env = TestEnvironments.withSearchAttributes()) {
            RecordingActivities activities = new RecordingActivities();
            Worker control = env.newWorker("tpo-control");
            control.registerWorkflowImplementationTypes(TpoRunWorkflowImpl.class, TpoIterationWorkflowImpl.class);
            control.registerActivitiesImplementations(activities);
            env.newWorker("tpo-gpu").registerActivitiesImplementations(activities);
            env.start();
            WorkflowClient client = env.getWorkflowClient();
            RunResult result = client.newWorkflowStub(
                            TpoRunWorkflow.class,
                            WorkflowOptions.newBuilder()
                                    .setWorkflowId("shape")
                                    .setTaskQueue("tpo-control")
                                    .build())
                    .run(TpoRunWorkflowTest.spec(TpoRunWorkflowTest.SPEC), null);
            assertEquals(2, result.iterations().size());

            List<JsonNode> payloads = new ArrayList<>();
            for (String id : List.of("shape", "shape-iter-1", "shape-iter-2")) {
                collectPayloads(JSON.readTree(client.fetchHistory(id).toJson(false)), payloads);
            }
            assertTrue(payloads.size() > 40, "found " + payloads.size() + " payloads");
            assertTrue(
                    payloads.stream().anyMatch(p -> p.has("seed_eval") && p.has("final_policy")),
                    "the run's result is among them");
            assertTrue(payloads.stream().anyMatch(p -> p.has("shards_done")), "a progress signal is among them");
            List<String> camel = new ArrayList<>();
            for (JsonNode payload : payloads) {
                camel.addAll(camelCaseKeys(payload, "$"));
            }
            assertEquals(List.of(), camel);

            RunProgress progress =
                    client.newWorkflowStub(TpoRunWorkflow.class, "shape").progress();
            assertEquals(
                    List.of(),
                    camelCaseKeys(
                            JSON.readTree(client.getOptions()
                                    .getDataConverter()
                                    .toPayload(progress)
                                    .orElseThrow()
                                    .getData()
                                    .toByteArray()),
                            "$"));
        }
    }

    /** Decodes every json/plain payload in a history's proto JSON (whose own field names are camelCase). */
    private static void collectPayloads(JsonNode node, List<JsonNode> into) throws Exception {
        if (node.isObject() && node.path("metadata").path("encoding").asText().equals(JSON_PLAIN) && node.has("data")) {
            into.add(JSON.readTree(Base64.getDecoder().decode(node.get("data").asText())));
            return;
        }
        for (JsonNode child : node) {
            collectPayloads(child, into);
        }
    }
}
