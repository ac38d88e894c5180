package dev.tpo.cli;

import dev.tpo.api.spec.TaskQueues;
import dev.tpo.artifacts.S3Settings;
import dev.tpo.workers.DevStack;
import dev.tpo.workers.LocalS3Server;
import dev.tpo.workers.TemporalCli;
import dev.tpo.workers.TemporalKind;
import dev.tpo.workers.TemporalSettings;
import dev.tpo.workflows.TpoRunWorkflow;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tpo dev-stack}: Temporal and S3 in one process, for one machine without Docker. */
@Command(
        name = "dev-stack",
        mixinStandardHelpOptions = true,
        description = "Run a local Temporal and S3 (S3Proxy, files under --data) until Ctrl-C. Temporal is the "
                + "Java test server in memory (--temporal test, default) or the official dev server with its Web UI "
                + "and history kept under --data (--temporal real).")
final class DevStackCommand implements Callable<Integer> {
    @Spec
    CommandSpec command;

    @Option(
            names = "--temporal",
            defaultValue = "test",
            paramLabel = "real|test",
            description = "real: Temporal's dev server (CLI " + TemporalCli.VERSION + ") with Web UI, search "
                    + "attributes and SQLite history; test: the Java test server (default).")
    String temporalKind;

    @Option(names = "--ui-port", description = "Web UI port with --temporal real (default: the Temporal port + 1000).")
    Integer uiPort;

    @Option(
            names = "--temporal-cli",
            paramLabel = "FILE",
            description = "The Temporal CLI binary (env "
                    + "TPO_TEMPORAL_CLI; default: the one infra/temporal/install-temporal-cli.sh installs, installed on "
                    + "first use).")
    Path temporalCli;

    @Option(names = "--temporal-port", defaultValue = "7233", description = "Default ${DEFAULT-VALUE}.")
    int temporalPort;

    @Option(names = "--s3-port", defaultValue = "9000", description = "Default ${DEFAULT-VALUE}.")
    int s3Port;

    @Option(
            names = "--ui-codec-endpoint",
            paramLabel = "URL",
            description = "With --temporal real: the remote codec server the Web UI decodes payloads with "
                    + "(tpo codec-server), so encrypted runs show decrypted.")
    String uiCodecEndpoint;

    @Option(
            names = "--data",
            paramLabel = "DIR",
            description = "Where S3 objects are kept " + "(default ~/.cache/tpo/dev-stack).")
    Path data;

    @Override
    public Integer call() throws Exception {
        Path dataDir = data != null ? data : Path.of(System.getProperty("user.home"), ".cache", "tpo", "dev-stack");
        TemporalKind kind = TemporalKind.named(temporalKind);
        int ui = uiPort != null ? uiPort : temporalPort + 1000;
        DevStack stack = DevStack.start(new DevStack.Settings(
                kind,
                kind == TemporalKind.REAL ? TemporalCli.locate(temporalCli) : null,
                temporalPort,
                ui,
                s3Port,
                dataDir,
                uiCodecEndpoint));
        CountDownLatch stopped = new CountDownLatch(1);
        PrintWriter err = command.commandLine().getErr();
        // Ctrl-C: the JVM's shutdown hook stops the stack while call() still waits below, so the command's writers
        // are still in use.
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            try {
                                stack.close();
                            } catch (Exception e) {
                                err.println("dev-stack: stopping: " + e.getMessage());
                                err.flush();
                            }
                            stopped.countDown();
                        },
                        "tpo-dev-stack-shutdown"));
        printConnectionHelp(command.commandLine().getOut(), stack, dataDir);
        stopped.await();
        return 0;
    }

    private static void printConnectionHelp(PrintWriter out, DevStack stack, Path dataDir) {
        TemporalSettings temporal = stack.temporalSettings();
        S3Settings s3 = stack.s3Settings();
        out.println("Temporal (" + stack.temporal().description() + "): " + temporal.address() + ", namespace "
                + temporal.namespace());
        if (stack.temporal().uiUrl() != null) {
            out.println("Web UI: " + stack.temporal().uiUrl() + "/namespaces/" + temporal.namespace()
                    + "/workflows  (start a run: Start Workflow, type " + TpoRunWorkflow.TYPE + ", task queue "
                    + TaskQueues.DEFAULT_CONTROL + ", input = a run spec)");
        }
        out.println("S3 (S3Proxy, objects under " + dataDir.resolve("s3") + "): " + s3.endpoint() + ", bucket "
                + DevStack.BUCKET);
        out.println();
        out.println("Point workers and commands at them (these local credentials are fixed, not secret):");
        out.println("  export TEMPORAL_ADDRESS=" + temporal.address());
        out.println("  export TPO_S3_ENDPOINT=" + s3.endpoint());
        out.println("  export TPO_S3_PATH_STYLE=true");
        out.println("  export TPO_S3_REGION=" + LocalS3Server.REGION);
        out.println("  export AWS_ACCESS_KEY_ID=" + LocalS3Server.ACCESS_KEY);
        out.println("  export AWS_SECRET_ACCESS_KEY=" + LocalS3Server.SECRET_KEY);
        out.println("  tpo worker --role all");
        out.println("  tpo start --spec examples/specs/local-minimal.json");
        if (stack.temporal().uiUrl() != null) {
            out.println("  tpo list --query \"TpoStatus = 'running'\"");
        }
        out.println();
        out.println("Running until Ctrl-C.");
        out.flush();
    }
}
