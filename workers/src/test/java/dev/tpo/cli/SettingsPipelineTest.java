package dev.tpo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tpo.artifacts.S3Settings;
import dev.tpo.workers.TemporalSettings;
import dev.tpo.workers.WorkerRole;
import dev.tpo.workers.WorkerSettings;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Flags win over the deployment's environment variables, which win over defaults. */
class SettingsPipelineTest {
    private static <T> T parse(T options, String... args) {
        new CommandLine(options).parseArgs(args);
        return options;
    }

    @Test
    void temporalFlagsWinOverEnvironment() {
        Map<String, String> env =
                Map.of("TEMPORAL_ADDRESS", "temporal:7233", "TEMPORAL_NAMESPACE", "prod", "TEMPORAL_API_KEY", "k");
        TemporalSettings fromEnv = parse(new TemporalOptions()).settings(env);
        assertEquals("temporal:7233", fromEnv.address());
        assertEquals("prod", fromEnv.namespace());
        assertEquals("k", fromEnv.apiKey());
        TemporalSettings flagged =
                parse(new TemporalOptions(), "--address", "other:7000").settings(env);
        assertEquals("other:7000", flagged.address());
        TemporalSettings defaults = parse(new TemporalOptions()).settings(Map.of("TEMPORAL_ADDRESS", ""));
        assertEquals("localhost:7233", defaults.address());
        assertNull(defaults.apiKey());
    }

    @Test
    void s3FromComposeEnvironmentOrAwsDefaults() {
        S3Settings compose = parse(new S3Options())
                .settings(Map.of(
                        "TPO_S3_ENDPOINT",
                        "http://minio:9000",
                        "TPO_S3_PATH_STYLE",
                        "true",
                        "AWS_ACCESS_KEY_ID",
                        "minioadmin",
                        "AWS_SECRET_ACCESS_KEY",
                        "pw"));
        assertEquals("http://minio:9000", compose.endpoint().toString());
        assertTrue(compose.pathStyle());
        assertEquals("minioadmin", compose.accessKeyId());
        assertEquals("us-east-1", compose.region());

        S3Settings aws = parse(new S3Options(), "--s3-region", "eu-west-1")
                .settings(Map.of(
                        "TPO_S3_ENDPOINT",
                        "",
                        "AWS_ACCESS_KEY_ID",
                        "a",
                        "AWS_SECRET_ACCESS_KEY",
                        "b",
                        "AWS_SESSION_TOKEN",
                        "t"));
        assertNull(aws.endpoint());
        assertFalse(aws.pathStyle());
        assertEquals("eu-west-1", aws.region());
        assertFalse(aws.hasStaticCredentials(), "temporary keys go through the default chain");

        UsageException badEndpoint = assertThrows(
                UsageException.class, () -> parse(new S3Options()).settings(Map.of("TPO_S3_ENDPOINT", "minio:9000")));
        assertTrue(badEndpoint.getMessage().contains("TPO_S3_ENDPOINT"));
        UsageException badBool = assertThrows(
                UsageException.class, () -> parse(new S3Options()).settings(Map.of("TPO_S3_PATH_STYLE", "yes")));
        assertTrue(badBool.getMessage().contains("--s3-path-style"));
    }

    @Test
    void workerQueuesConcurrencyAndWorkDir() {
        Map<String, String> env = Map.of(
                "TPO_GPU_TASK_QUEUE",
                "gpu-a",
                "TPO_CONTROL_TASK_QUEUE",
                "ctl-a",
                "TPO_GPU_CONCURRENCY",
                "2",
                "TPO_WORK_DIR",
                "/var/lib/tpo");
        WorkerSettings fromEnv = parse(new WorkerOptions(), "--role", "gpu").settings(env);
        assertEquals(WorkerRole.GPU, fromEnv.role());
        assertEquals("gpu-a", fromEnv.queues().gpu());
        assertEquals("ctl-a", fromEnv.queues().control());
        assertEquals(2, fromEnv.gpuConcurrency());
        assertEquals(Path.of("/var/lib/tpo"), fromEnv.workDir());
        WorkerSettings flagged = parse(
                        new WorkerOptions(), "--role", "all", "--gpu-concurrency", "4", "--gpu-queue", "g")
                .settings(env);
        assertEquals(4, flagged.gpuConcurrency());
        assertEquals("g", flagged.queues().gpu());
        assertThrows(
                UsageException.class,
                () -> parse(new WorkerOptions(), "--role", "gpu").settings(Map.of("TPO_GPU_CONCURRENCY", "two")));
    }

    @Test
    void workerCommandRejectsAnUnknownRoleWithExit2() {
        CommandOutput result = CommandOutput.run("worker", "--role", "cpu");
        assertEquals(2, result.exitCode(), result.toString());
        assertTrue(result.err().startsWith("error: --role: 'cpu'"), result.toString());
    }
}
