package dev.tpo.tracking;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * One real MLflow server per test JVM (its start costs seconds to a minute on a busy machine), on a free port with
 * a fresh SQLite database; stopped when the JVM exits. Fails, never skips, when MLflow is not installed.
 */
public final class LocalMlflow {
    private static MlflowServer server;

    private LocalMlflow() {}

    public static synchronized MlflowServer server() {
        if (server == null) {
            try {
                Path python = MlflowServer.locatePython(System.getenv(), Path.of(""));
                Path data = Files.createTempDirectory("mlflow-test-");
                int port;
                try (ServerSocket socket = new ServerSocket(0)) {
                    port = socket.getLocalPort();
                }
                server = MlflowServer.start(python, data, port, Duration.ofMinutes(5));
                MlflowServer started = server;
                Runtime.getRuntime().addShutdownHook(new Thread(started::close));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return server;
    }
}
