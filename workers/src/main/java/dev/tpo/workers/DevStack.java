package dev.tpo.workers;

import dev.tpo.artifacts.S3Buckets;
import dev.tpo.artifacts.S3Clients;
import dev.tpo.artifacts.S3Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Temporal and S3 for one machine: what {@code tpo dev-stack} runs until it is stopped. S3 is S3Proxy in this JVM;
 * Temporal is either the Java test server in this JVM or the official dev server with its Web UI as a child
 * process, whose history survives a restart (a SQLite file under the data folder).
 */
public final class DevStack implements AutoCloseable {
    public static final String BUCKET = "tpo-artifacts";

    private final TemporalServer temporal;
    private final LocalS3Server s3;

    private DevStack(TemporalServer temporal, LocalS3Server s3) {
        this.temporal = temporal;
        this.s3 = s3;
    }

    /**
     * Where and how to run the stack.
     *
     * @param temporalCli the Temporal CLI binary; only {@link TemporalKind#REAL} uses it
     * @param uiPort      the Web UI's port (REAL only)
     * @param dataDir     S3 objects under {@code s3/}, Temporal's SQLite file as {@code temporal/temporal.db}
     * @param uiCodecEndpoint the remote codec server the Web UI decodes payloads with (REAL only), or null
     */
    public record Settings(
            TemporalKind kind,
            Path temporalCli,
            int temporalPort,
            int uiPort,
            int s3Port,
            Path dataDir,
            String uiCodecEndpoint) {
        public Settings(TemporalKind kind, Path temporalCli, int temporalPort, int uiPort, int s3Port, Path dataDir) {
            this(kind, temporalCli, temporalPort, uiPort, s3Port, dataDir, null);
        }

        /** On the Java test server. */
        public static Settings test(int temporalPort, int s3Port, Path dataDir) {
            return new Settings(TemporalKind.TEST, null, temporalPort, 0, s3Port, dataDir);
        }
    }

    /** Starts both servers and creates the artifact bucket; a failure stops whatever had started. */
    public static DevStack start(Settings settings) throws Exception {
        Path s3Dir = settings.dataDir().resolve("s3");
        Files.createDirectories(s3Dir);
        LocalS3Server s3 = LocalS3Server.start(settings.s3Port(), s3Dir);
        TemporalServer temporal;
        try {
            temporal = startTemporal(settings);
        } catch (RuntimeException e) {
            s3.close();
            throw e;
        }
        DevStack stack = new DevStack(temporal, s3);
        try (S3Client client = S3Clients.create(stack.s3Settings())) {
            S3Buckets.createIfMissing(client, BUCKET);
        } catch (RuntimeException e) {
            stack.close();
            throw e;
        }
        return stack;
    }

    private static TemporalServer startTemporal(Settings settings) {
        if (settings.kind() == TemporalKind.TEST) {
            return LocalTemporalServer.start(settings.temporalPort());
        }
        Path dir = settings.dataDir().resolve("temporal");
        return RealTemporalServer.start(
                settings.temporalCli(),
                settings.temporalPort(),
                settings.uiPort(),
                dir.resolve("temporal.db"),
                dir.resolve("server.log"),
                settings.uiCodecEndpoint());
    }

    public TemporalSettings temporalSettings() {
        return temporal.clientSettings();
    }

    public TemporalServer temporal() {
        return temporal;
    }

    public S3Settings s3Settings() {
        return s3.clientSettings();
    }

    @Override
    public void close() throws Exception {
        try {
            temporal.close();
        } finally {
            s3.close();
        }
    }
}
