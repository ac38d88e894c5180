package dev.tpo.workers;

import dev.tpo.workflows.TpoSearchAttributes;
import io.temporal.api.workflowservice.v1.GetSystemInfoRequest;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The official Temporal dev server with its Web UI ({@code temporal server start-dev}), run as a child process:
 * history in a SQLite file (kept across restarts), visibility queries, the custom search attributes registered at
 * start, and the same dynamic config as the compose stack. Temporal's own code, never a server of ours.
 */
public final class RealTemporalServer implements TemporalServer {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

    private final Process process;
    private final String host;
    private final int port;
    private final int uiPort;
    private final Path dbFile;
    private final Path log;

    private RealTemporalServer(Process process, String host, int port, int uiPort, Path dbFile, Path log) {
        this.process = process;
        this.host = host;
        this.port = port;
        this.uiPort = uiPort;
        this.dbFile = dbFile;
        this.log = log;
    }

    /**
     * Starts the server and returns once its frontend answers and its UI serves pages.
     *
     * @param cli    the Temporal CLI binary ({@link TemporalCli#locate})
     * @param port   the frontend's gRPC port
     * @param uiPort the Web UI's port
     * @param dbFile the SQLite file holding history and visibility (created if missing)
     * @param log    where the server's output goes
     */
    public static RealTemporalServer start(Path cli, int port, int uiPort, Path dbFile, Path log) {
        return start(cli, port, uiPort, dbFile, log, null);
    }

    /**
     * As {@link #start(Path, int, int, Path, Path)}, the Web UI decoding payloads through a remote codec server
     * ({@code tpo codec-server}) when {@code uiCodecEndpoint} is not null.
     */
    public static RealTemporalServer start(
            Path cli, int port, int uiPort, Path dbFile, Path log, String uiCodecEndpoint) {
        String host = "127.0.0.1";
        List<String> command = new ArrayList<>(List.of(
                cli.toString(),
                "server",
                "start-dev",
                "--ip",
                host,
                "--port",
                Integer.toString(port),
                "--ui-port",
                Integer.toString(uiPort),
                "--db-filename",
                dbFile.toString(),
                "--namespace",
                TemporalSettings.DEFAULT_NAMESPACE,
                "--log-level",
                "warn"));
        if (uiCodecEndpoint != null) {
            command.addAll(List.of("--ui-codec-endpoint", uiCodecEndpoint));
        }
        TpoSearchAttributes.registration()
                .forEach((name, type) ->
                        command.addAll(List.of("--search-attribute", name + "=" + searchAttributeType(type))));
        // The compose stack's dynamic config (infra/temporal/dynamicconfig/development.yaml), so both behave alike.
        command.addAll(List.of(
                "--dynamic-config-value",
                "limit.maxIDLength=255",
                "--dynamic-config-value",
                "system.forceSearchAttributesCacheRefreshOnRead=true"));
        Process process;
        try {
            Files.createDirectories(dbFile.toAbsolutePath().getParent());
            Files.createDirectories(log.toAbsolutePath().getParent());
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + cli + ": " + e.getMessage(), e);
        }
        RealTemporalServer server = new RealTemporalServer(process, host, port, uiPort, dbFile, log);
        try {
            server.awaitReady();
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    /** The name the Temporal CLI uses for an index type (its --search-attribute and --type flags). */
    static String searchAttributeType(io.temporal.api.enums.v1.IndexedValueType type) {
        return switch (type) {
            case INDEXED_VALUE_TYPE_KEYWORD -> "Keyword";
            case INDEXED_VALUE_TYPE_INT -> "Int";
            case INDEXED_VALUE_TYPE_DOUBLE -> "Double";
            case INDEXED_VALUE_TYPE_BOOL -> "Bool";
            case INDEXED_VALUE_TYPE_DATETIME -> "Datetime";
            case INDEXED_VALUE_TYPE_TEXT -> "Text";
            case INDEXED_VALUE_TYPE_KEYWORD_LIST -> "KeywordList";
            default -> throw new IllegalArgumentException("no CLI name for search attribute type " + type);
        };
    }

    /** Waits for the frontend (a system-info call) and then the UI (an HTTP 200), failing early if the process ends. */
    private void awaitReady() {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        WorkflowServiceStubs stubs = WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder()
                .setTarget(host + ":" + port)
                .build());
        try {
            while (true) {
                checkAlive();
                try {
                    stubs.blockingStub()
                            .withDeadlineAfter(2, TimeUnit.SECONDS)
                            .getSystemInfo(GetSystemInfoRequest.getDefaultInstance());
                    break;
                } catch (RuntimeException notYet) {
                    pauseBeforeRetry(deadline, "its frontend on port " + port);
                }
            }
        } finally {
            stubs.shutdownNow();
        }
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        while (true) {
            checkAlive();
            try {
                HttpResponse<Void> response = http.send(
                        HttpRequest.newBuilder(URI.create(uiUrl()))
                                .timeout(Duration.ofSeconds(2))
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the Temporal UI", e);
            }
            pauseBeforeRetry(deadline, "its Web UI on port " + uiPort);
        }
    }

    private void checkAlive() {
        if (!process.isAlive()) {
            throw new IllegalStateException("the Temporal dev server exited with status " + process.exitValue()
                    + " before it was ready (ports " + port + "/" + uiPort + " taken?); its log " + log + " ends:\n"
                    + logTail());
        }
    }

    private void pauseBeforeRetry(long deadline, String what) {
        if (System.nanoTime() > deadline) {
            throw new IllegalStateException("the Temporal dev server did not serve " + what + " within "
                    + READY_TIMEOUT.toSeconds() + " s; its log " + log + " ends:\n" + logTail());
        }
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the Temporal dev server", e);
        }
    }

    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(cannot read it: " + e.getMessage() + ")";
        }
    }

    @Override
    public TemporalSettings clientSettings() {
        return TemporalSettings.plain(host + ":" + port);
    }

    @Override
    public String uiUrl() {
        return "http://" + host + ":" + uiPort;
    }

    @Override
    public String description() {
        return String.format(
                Locale.ROOT, "Temporal dev server %s, history in %s, Web UI %s", TemporalCli.VERSION, dbFile, uiUrl());
    }

    public int port() {
        return port;
    }

    public int uiPort() {
        return uiPort;
    }

    /** The server's process id, for tests that kill it the hard way. */
    public long pid() {
        return process.pid();
    }

    /** Stops the server (SIGTERM, then SIGKILL after 20 s); its SQLite file keeps the history. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
