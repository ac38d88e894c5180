package dev.tpo.workers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the Temporal CLI binary comes from, and the words when it is nowhere. */
class TemporalCliTest {
    @TempDir
    Path dir;

    private Path executable(Path file) throws Exception {
        Files.createDirectories(file.getParent());
        Files.writeString(file, "#!/bin/sh\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }

    @Test
    void aFlagWinsOverTheEnvironmentAndTheCache() throws Exception {
        Path flag = executable(dir.resolve("flag/temporal"));
        Path env = executable(dir.resolve("env/temporal"));
        assertEquals(flag, TemporalCli.locate(flag, Map.of(TemporalCli.CLI_ENV, env.toString()), dir));
        assertEquals(env, TemporalCli.locate(null, Map.of(TemporalCli.CLI_ENV, env.toString()), dir));
    }

    @Test
    void theInstallScriptsCacheIsFoundUnderTpoCache() throws Exception {
        Path cached = executable(dir.resolve("cache/temporal-cli/" + TemporalCli.VERSION + "/temporal"));
        assertEquals(
                cached,
                TemporalCli.locate(
                        null, Map.of("TPO_CACHE", dir.resolve("cache").toString()), dir));
    }

    @Test
    void aFileThatCannotRunIsNamed() throws Exception {
        Path plain = dir.resolve("temporal");
        Files.writeString(plain, "not a program");
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> TemporalCli.locate(plain, Map.of(), dir));
        assertTrue(e.getMessage().startsWith("--temporal-cli: " + plain), e.getMessage());
    }

    @Test
    void withNoBinaryAndNoRepositoryTheMessageSaysHowToInstallIt() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> TemporalCli.locate(
                        null, Map.of("TPO_CACHE", dir.resolve("empty").toString()), dir));
        assertTrue(e.getMessage().contains("infra/temporal/install-temporal-cli.sh"), e.getMessage());
    }

    @Test
    void temporalKindNamesItsChoices() {
        assertEquals(TemporalKind.REAL, TemporalKind.named(" Real "));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TemporalKind.named("prod"));
        assertEquals("--temporal: 'prod' is not real or test", e.getMessage());
    }
}
