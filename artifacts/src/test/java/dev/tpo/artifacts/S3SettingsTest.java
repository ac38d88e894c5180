package dev.tpo.artifacts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import org.junit.jupiter.api.Test;

class S3SettingsTest {
    @Test
    void toStringMasksTheSecret() {
        S3Settings settings = new S3Settings(URI.create("http://localhost:9000"), "us-east-1", "tpo", "dev",
                "minio", "very-secret-value", true);

        assertFalse(settings.toString().contains("very-secret-value"), settings.toString());
        assertTrue(settings.toString().contains("***"), settings.toString());
    }

    @Test
    void credentialsComeInPairsAndBucketAndRegionAreRequired() {
        assertThrows(IllegalArgumentException.class,
                () -> new S3Settings(null, "us-east-1", "tpo", "", "only-the-id", null, false));
        IllegalArgumentException noBucket = assertThrows(IllegalArgumentException.class,
                () -> new S3Settings(null, "us-east-1", " ", "", null, null, false));
        assertTrue(noBucket.getMessage().contains("bucket"));
        assertThrows(IllegalArgumentException.class, () -> new S3Settings(null, null, "tpo", "", null, null, false));
        assertEquals("", new S3Settings(null, "us-east-1", "tpo", null, null, null, false).prefix());
    }
}
