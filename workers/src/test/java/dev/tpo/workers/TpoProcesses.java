package dev.tpo.workers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code tpo} commands and workers as their own JVMs, the way a deployment runs them: the test's classpath, the
 * given environment added to this one's and the given JVM options; each one's stdout and stderr go to
 * {@code NAME.log} in the folder. {@link #close()} SIGKILLs what is still running.
 */
final class TpoProcesses implements AutoCloseable {
    /** A command that ended, with everything it printed. */
    record Finished(int exitCode, String output) {}

    private final Path dir;
    private final Map<String, String> environment;
    private final List<String> jvmOptions;
    private final List<Process> started = new ArrayList<>();

    TpoProcesses(Path dir, Map<String, String> environment, List<String> jvmOptions) {
        this.dir = dir;
        this.environment = Map.copyOf(environment);
        this.jvmOptions = List.copyOf(jvmOptions);
    }

    /** Starts {@code tpo ARGS} and returns at once (a worker). */
    Process start(String name, String... args) throws IOException {
        // One PyTorch thread and the serial collector: the test machines have two cores for all the JVMs.
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g",
                "-XX:+UseSerialGC",
                "-Dai.djl.offline=true",
                "-Dai.djl.pytorch.num_threads=1",
                "-Dai.djl.pytorch.num_interop_threads=1"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.tpo.cli.TpoCommand"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log(name).toFile());
        builder.environment().putAll(environment);
        Process process = builder.start();
        started.add(process);
        return process;
    }

    /** Runs {@code tpo ARGS} to its end (at most 8 minutes). */
    Finished run(String name, String... args) throws Exception {
        Process process = start(name, args);
        if (!process.waitFor(8, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("tpo " + String.join(" ", args) + " ran over 8 minutes");
        }
        return new Finished(process.exitValue(), Files.readString(log(name)));
    }

    private Path log(String name) {
        return dir.resolve(name + ".log");
    }

    @Override
    public void close() throws InterruptedException {
        for (Process process : started) {
            process.destroyForcibly();
        }
        for (Process process : started) {
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }
}
