package dev.tpo.artifacts;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import org.junit.jupiter.api.Test;

class S3SettingsTest {
    @Test
    void toStringMasksTheSecretAndAllButTheKeyIdsLastFourCharacters() {
        S3Settings settings = new S3Settings(
                URI.create("http://localhost:9000"), "us-east-1", "AKIAEXAMPLEKEY1234", "very-secret-value", true);

        assertFalse(settings.toString().contains("very-secret-value"), settings.toString());
        assertFalse(settings.toString().contains("AKIAEXAMPLE"), settings.toString());
        assertTrue(settings.toString().contains("accessKeyId=***1234"), settings.toString());
        assertTrue(new S3Settings(null, "us-east-1", "minio", "s", false)
                .toString()
                .contains("accessKeyId=***,"));
    }

    @Test
    void credentialsComeInPairsAndRegionIsRequired() {
        assertThrows(
                IllegalArgumentException.class, () -> new S3Settings(null, "us-east-1", "only-the-id", null, false));
        IllegalArgumentException noRegion =
                assertThrows(IllegalArgumentException.class, () -> new S3Settings(null, " ", null, null, false));
        assertTrue(noRegion.getMessage().contains("region"));
        assertThrows(IllegalArgumentException.class, () -> new S3Settings(null, null, null, null, false));
    }
}
