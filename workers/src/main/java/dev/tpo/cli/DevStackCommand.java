package dev.tpo.cli;

import dev.tpo.artifacts.S3Settings;
import dev.tpo.workers.DevStack;
import dev.tpo.workers.LocalS3Server;
import dev.tpo.workers.TemporalSettings;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tpo dev-stack}: Temporal and S3 in one process, for one machine without Docker. */
@Command(name = "dev-stack", mixinStandardHelpOptions = true,
        description = "Run a local Temporal (test server, in memory) and S3 (S3Proxy, files under --data) "
                + "until Ctrl-C.")
final class DevStackCommand implements Callable<Integer> {
    @Spec
    CommandSpec command;

    @Option(names = "--temporal-port", defaultValue = "7233", description = "Default ${DEFAULT-VALUE}.")
    int temporalPort;

    @Option(names = "--s3-port", defaultValue = "9000", description = "Default ${DEFAULT-VALUE}.")
    int s3Port;

    @Option(names = "--data", paramLabel = "DIR", description = "Where S3 objects are kept "
            + "(default ~/.cache/tpo/dev-stack).")
    Path data;

    @Override
    public Integer call() throws Exception {
        Path dataDir = data != null ? data : Path.of(System.getProperty("user.home"), ".cache", "tpo", "dev-stack");
        DevStack stack = DevStack.start(temporalPort, s3Port, dataDir);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                stack.close();
            } catch (Exception e) {
                System.err.println("dev-stack: stopping: " + e.getMessage());
            }
            stopped.countDown();
        }, "tpo-dev-stack-shutdown"));
        printConnectionHelp(command.commandLine().getOut(), stack.temporalSettings(), stack.s3Settings(), dataDir);
        stopped.await();
        return 0;
    }

    private static void printConnectionHelp(PrintWriter out, TemporalSettings temporal, S3Settings s3,
                                            Path dataDir) {
        out.println("Temporal (test server, history in memory): " + temporal.address() + ", namespace "
                + temporal.namespace());
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
        out.println();
        out.println("Running until Ctrl-C.");
        out.flush();
    }
}
