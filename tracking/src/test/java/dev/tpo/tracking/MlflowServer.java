package dev.tpo.tracking;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A local MLflow tracking server for the tests of every module (shared through this module's test jar):
 * {@code python -m mlflow server} from the venv that
 * {@code infra/mlflow/install-mlflow.sh} makes, with a SQLite backend and proxied artifacts under a data folder,
 * on 127.0.0.1 only. Closing it stops the server and the worker processes it started.
 */
public final class MlflowServer implements AutoCloseable {
    public static final String VERSION = "3.17.2";
    /** Environment variable naming the venv's python, for a venv elsewhere than the cache. */
    public static final String PYTHON_ENV = "TPO_MLFLOW_PYTHON";

    static final String INSTALLER = "infra/mlflow/install-mlflow.sh";

    private final Process process;
    private final URI uri;
    private final Path log;

    private MlflowServer(Process process, URI uri, Path log) {
        this.process = process;
        this.uri = uri;
        this.log = log;
    }

    /**
     * Starts the server and waits until it answers {@code /health}. Its first start on a new data folder creates
     * the database, which takes a while on a busy machine: hence the caller's timeout.
     */
    public static MlflowServer start(Path python, Path dataDir, int port, Duration startupTimeout) throws IOException {
        Files.createDirectories(dataDir);
        Path log = dataDir.resolve("mlflow-server.log");
        List<String> command = List.of(
                python.toString(),
                "-m",
                "mlflow",
                "server",
                "--backend-store-uri",
                "sqlite:///" + dataDir.toAbsolutePath().resolve("mlflow.db"),
                "--artifacts-destination",
                dataDir.toAbsolutePath().resolve("artifacts").toString(),
                "--host",
                "127.0.0.1",
                "--port",
                Integer.toString(port),
                "--workers",
                "1");
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        // The server's own Python, not whatever the caller's environment points at.
        builder.environment().remove("PYTHONPATH");
        builder.environment().remove("PYTHONHOME");
        // MLflow 3's background job runner serves its GenAI features (LLM judges, issue detection), which tracking
        // never uses; loading its job modules made up two thirds of the server's start (measured: ~100 s -> 36 s
        // on a busy 2-core machine).
        builder.environment().put("MLFLOW_SERVER_ENABLE_JOB_EXECUTION", "false");
        MlflowServer server = new MlflowServer(builder.start(), URI.create("http://127.0.0.1:" + port), log);
        try {
            server.awaitHealthy(startupTimeout);
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    /**
     * The venv's python: {@value #PYTHON_ENV} when set, else the cache folder the installer fills ({@code TPO_CACHE},
     * default ~/.cache/tpo). When neither has it and the repository's installer is at hand, that is run once.
     */
    public static Path locatePython(Map<String, String> env, Path workingDir) throws IOException {
        String explicit = env.get(PYTHON_ENV);
        if (explicit != null && !explicit.isBlank()) {
            Path p = Path.of(explicit);
            if (!Files.isExecutable(p)) {
                throw new IllegalArgumentException(PYTHON_ENV + ": " + p + " is not an executable file");
            }
            return p;
        }
        String cache = env.get("TPO_CACHE");
        Path root = cache != null && !cache.isBlank()
                ? Path.of(cache)
                : Path.of(env.getOrDefault("HOME", System.getProperty("user.home")), ".cache", "tpo");
        Path python = root.resolve("mlflow")
                .resolve(VERSION)
                .resolve("venv")
                .resolve("bin")
                .resolve("python");
        if (Files.isExecutable(python)
                && Files.isRegularFile(python.getParent().getParent().resolve(".tpo-stamp"))) {
            return python;
        }
        for (Path dir = workingDir.toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path installer = dir.resolve(INSTALLER);
            if (Files.isExecutable(installer)) {
                return install(installer, env);
            }
        }
        throw new IllegalArgumentException("MLflow " + VERSION + " is not installed (looked for " + python + "): run "
                + INSTALLER + " from the repository, or set " + PYTHON_ENV);
    }

    private static Path install(Path installer, Map<String, String> env) throws IOException {
        ProcessBuilder builder =
                new ProcessBuilder(installer.toString()).redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().putAll(env);
        Process p = builder.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        try {
            if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IOException(installer + " failed (exit " + (p.isAlive() ? "timeout" : p.exitValue()) + ")");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while installing MLflow", e);
        }
        String[] lines = out.split("\n");
        return Path.of(lines[lines.length - 1]);
    }

    public URI uri() {
        return uri;
    }

    private void awaitHealthy(Duration timeout) throws IOException {
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        HttpRequest health = HttpRequest.newBuilder(uri.resolve("/health"))
                .timeout(Duration.ofSeconds(5))
                .build();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("the MLflow server exited with " + process.exitValue() + " before it answered; "
                        + "its log: " + tail());
            }
            try {
                if (http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // Not listening yet.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for the MLflow server", e);
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for the MLflow server", e);
            }
        }
        throw new IOException(
                "the MLflow server at " + uri + " did not answer /health within " + timeout + "; its log: " + tail());
    }

    private String tail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    /** Stops the uvicorn workers the server started, then the server itself. */
    @Override
    public void close() {
        List<ProcessHandle> children = process.descendants().toList();
        children.forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }
}
