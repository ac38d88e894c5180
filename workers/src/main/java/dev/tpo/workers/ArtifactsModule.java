package dev.tpo.workers;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.tpo.activities.StepEnvironment;
import dev.tpo.activities.heartbeat.WorkerDrain;
import dev.tpo.artifacts.ArtifactStores;
import dev.tpo.artifacts.S3Clients;
import dev.tpo.artifacts.S3Settings;
import java.nio.file.Path;
import java.time.Clock;
import software.amazon.awssdk.services.s3.S3Client;

/** The artifact stores the steps read and write through, and the environment handed to every step. */
public final class ArtifactsModule extends AbstractModule {
    private final S3Settings s3;
    private final Path workDir;

    /**
     * @param s3      the connection; its bucket is unused here, since every artifact URI names its own bucket
     * @param workDir local scratch and model cache
     */
    public ArtifactsModule(S3Settings s3, Path workDir) {
        this.s3 = s3;
        this.workDir = workDir;
    }

    @Provides
    @Singleton
    S3Client s3Client() {
        return S3Clients.create(s3);
    }

    @Provides
    @Singleton
    ArtifactStores artifactStores(S3Client client) {
        return ArtifactStores.withS3(client);
    }

    @Provides
    @Singleton
    WorkerDrain workerDrain() {
        return new WorkerDrain();
    }

    @Provides
    @Singleton
    StepEnvironment stepEnvironment(ArtifactStores stores, WorkerDrain drain) {
        return new StepEnvironment(stores, workDir, Clock.systemUTC(), drain);
    }
}
