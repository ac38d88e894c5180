package dev.tpo.workers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.tpo.api.ArtifactRef;
import dev.tpo.artifacts.ArtifactStores;
import dev.tpo.artifacts.S3Clients;
import io.temporal.api.workflowservice.v1.GetSystemInfoRequest;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/** Smoke test of {@code tpo dev-stack}'s servers on free ports: Temporal answers, S3 stores and keeps objects. */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class DevStackTest {
    @TempDir
    Path dir;

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Test
    void temporalAnswersAndObjectsSurviveARestart() throws Exception {
        int temporalPort = freePort();
        int s3Port = freePort();
        ArtifactRef stored;
        try (DevStack stack = DevStack.start(DevStack.Settings.test(temporalPort, s3Port, dir))) {
            assertEquals("localhost:" + temporalPort, stack.temporalSettings().address());
            try (TemporalConnection temporal = TemporalConnection.open(stack.temporalSettings())) {
                temporal.stubs().blockingStub().getSystemInfo(GetSystemInfoRequest.getDefaultInstance());
            }
            try (S3Client s3 = S3Clients.create(stack.s3Settings())) {
                stored = ArtifactStores.withS3(s3)
                        .locate("s3://tpo-artifacts/smoke/hello.txt")
                        .store()
                        .putBytes("smoke/hello.txt", "hello".getBytes(StandardCharsets.UTF_8));
            }
        }
        // Same ports again: the first stack let go of them, and S3 objects live on disk under --data.
        try (DevStack again = DevStack.start(DevStack.Settings.test(temporalPort, s3Port, dir));
                S3Client s3 = S3Clients.create(again.s3Settings())) {
            byte[] read = ArtifactStores.withS3(s3).read(stored);
            assertArrayEquals("hello".getBytes(StandardCharsets.UTF_8), read);
            assertFalse(again.s3Settings().toString().contains(LocalS3Server.SECRET_KEY));
        }
    }
}
