package dev.tpo.workers;

import dev.tpo.artifacts.S3Buckets;
import dev.tpo.artifacts.S3Clients;
import dev.tpo.artifacts.S3Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import software.amazon.awssdk.services.s3.S3Client;

/** Temporal and S3 for one machine, in this JVM: what {@code tpo dev-stack} runs until it is stopped. */
public final class DevStack implements AutoCloseable {
    public static final String BUCKET = "tpo-artifacts";

    private final LocalTemporalServer temporal;
    private final LocalS3Server s3;

    private DevStack(LocalTemporalServer temporal, LocalS3Server s3) {
        this.temporal = temporal;
        this.s3 = s3;
    }

    /** Starts both servers and creates the artifact bucket; a failure stops whatever had started. */
    public static DevStack start(int temporalPort, int s3Port, Path dataDir) throws Exception {
        Path s3Dir = dataDir.resolve("s3");
        Files.createDirectories(s3Dir);
        LocalS3Server s3 = LocalS3Server.start(s3Port, s3Dir);
        LocalTemporalServer temporal;
        try {
            temporal = LocalTemporalServer.start(temporalPort);
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

    public TemporalSettings temporalSettings() {
        return temporal.clientSettings();
    }

    public S3Settings s3Settings() {
        return s3.clientSettings(BUCKET);
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
