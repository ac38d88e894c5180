package dev.tpo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tpo.workers.DevStack;
import dev.tpo.workers.TemporalCli;
import dev.tpo.workers.TemporalConnection;
import dev.tpo.workers.TemporalKind;
import dev.tpo.workflows.TpoRunWorkflow;
import dev.tpo.workflows.TpoSearchAttributes;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.operatorservice.v1.ListSearchAttributesRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.serviceclient.OperatorServiceStubs;
import io.temporal.serviceclient.OperatorServiceStubsOptions;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tpo dev-stack --temporal real}: the official dev server comes up with its Web UI and the TPO search
 * attributes, answers visibility queries ({@code tpo list}), and keeps history across a restart on the same SQLite
 * file. {@code tpo list} on the test server says plainly that it cannot list.
 */
@Tag("real-server")
class RealServerStackTest {
    @TempDir
    Path dir;

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void realServerHasUiAndSearchAttributesListsRunsAndKeepsHistoryAcrossARestart() throws Exception {
        int temporalPort = freePort();
        int uiPort = freePort();
        int s3Port = freePort();
        Path cli = TemporalCli.locate(null);
        DevStack.Settings settings = new DevStack.Settings(TemporalKind.REAL, cli, temporalPort, uiPort, s3Port, dir);
        String runId = "parked-run";
        try (DevStack stack = DevStack.start(settings)) {
            String ui = stack.temporal().uiUrl();
            assertEquals("http://127.0.0.1:" + uiPort, ui);
            HttpResponse<String> page = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(ui + "/namespaces/default/workflows"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertEquals(200, page.statusCode());

            // Shut down in the finally below, with the client's stubs.
            WorkflowClient client =
                    TemporalConnection.open(stack.temporalSettings()).client();
            try {
                OperatorServiceStubs operator =
                        OperatorServiceStubs.newServiceStubs(OperatorServiceStubsOptions.newBuilder(
                                        client.getWorkflowServiceStubs().getOptions())
                                .build());
                Map<String, IndexedValueType> registered = operator.blockingStub()
                        .listSearchAttributes(ListSearchAttributesRequest.newBuilder()
                                .setNamespace("default")
                                .build())
                        .getCustomAttributesMap();
                operator.shutdown();
                TpoSearchAttributes.registration()
                        .forEach((name, type) ->
                                assertEquals(type, registered.get(name), name + " registered at start"));

                // No worker polls this queue, so the run stays open: what a restart must not lose.
                client.newUntypedWorkflowStub(
                                TpoRunWorkflow.TYPE,
                                WorkflowOptions.newBuilder()
                                        .setWorkflowId(runId)
                                        .setTaskQueue("nobody-polls-this")
                                        .build())
                        .start(new ObjectMapper().readTree("{\"name\": \"parked\"}"));
            } finally {
                client.getWorkflowServiceStubs().shutdown();
            }
            CommandOutput listed = listUntilFound(stack, runId);
            assertTrue(listed.out().contains(TpoRunWorkflow.TYPE), listed.toString());
            CommandOutput badQuery = CommandOutput.run(
                    "list", "--address", stack.temporalSettings().address(), "--query", "TpoNoSuchThing = 'x'");
            assertEquals(2, badQuery.exitCode(), badQuery.toString());
            assertTrue(badQuery.err().contains("--query:"), badQuery.toString());
        }

        try (DevStack again = DevStack.start(settings)) {
            // Shut down in the finally below, with the client's stubs.
            WorkflowClient client =
                    TemporalConnection.open(again.temporalSettings()).client();
            try {
                assertEquals(
                        WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING,
                        client.newUntypedWorkflowStub(runId).describe().getStatus(),
                        "the open run survived the server's restart");
            } finally {
                client.getWorkflowServiceStubs().shutdown();
            }
        }
    }

    /** Visibility is eventually consistent; the dev server's SQLite store is quick, but not synchronous. */
    private static CommandOutput listUntilFound(DevStack stack, String runId) throws InterruptedException {
        CommandOutput listed = null;
        for (int i = 0; i < 50; i++) {
            listed = CommandOutput.run(
                    "list", "--address", stack.temporalSettings().address());
            if (listed.exitCode() == 0 && listed.out().contains(runId)) {
                return listed;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("tpo list never showed " + runId + ": " + listed);
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void listOnTheTestServerSaysItHasNoVisibility() throws Exception {
        try (DevStack stack = DevStack.start(DevStack.Settings.test(freePort(), freePort(), dir))) {
            CommandOutput listed = CommandOutput.run(
                    "list", "--address", stack.temporalSettings().address());
            assertEquals(2, listed.exitCode(), listed.toString());
            assertTrue(listed.err().contains("no visibility queries"), listed.toString());
        }
    }
}
