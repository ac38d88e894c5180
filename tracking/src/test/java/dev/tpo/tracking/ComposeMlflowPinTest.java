package dev.tpo.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The compose stack's MLflow server is the version the tests run against (infra/mlflow/install-mlflow.sh), so what
 * the tests prove about the REST API holds for the deployed server too.
 */
class ComposeMlflowPinTest {
    private static final Path ROOT = Path.of("..");

    @Test
    void composeRunsTheTestedMlflowVersion() throws IOException {
        String installer = Files.readString(ROOT.resolve("infra/mlflow/install-mlflow.sh"));
        Matcher tested = Pattern.compile("(?m)^VERSION=\"([0-9.]+)\"").matcher(installer);
        assertTrue(tested.find(), "install-mlflow.sh names no VERSION");

        String compose = Files.readString(ROOT.resolve("docker-compose.yml"));
        Matcher deployed = Pattern.compile("MLFLOW_IMAGE:-ghcr\\.io/mlflow/mlflow:v([0-9.]+)}")
                .matcher(compose);
        assertTrue(deployed.find(), "docker-compose.yml has no mlflow service with a pinned image");
        assertEquals(tested.group(1), deployed.group(1));
        // Workers reach it as http://mlflow:5000, a Host header MLflow 3.5+ refuses unless it is allowed.
        assertTrue(compose.contains("MLFLOW_SERVER_ALLOWED_HOSTS: mlflow,mlflow:5000"), compose);
    }
}
