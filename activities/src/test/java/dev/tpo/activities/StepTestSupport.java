package dev.tpo.activities;

import static org.junit.jupiter.api.Assertions.fail;

import dev.tpo.activities.heartbeat.WorkerDrain;
import dev.tpo.api.ArtifactRef;
import dev.tpo.api.steps.RunContext;
import dev.tpo.artifacts.ArtifactStores;
import dev.tpo.artifacts.FileArtifactStore;
import dev.tpo.model.CausalLm;
import dev.tpo.model.Compute;
import dev.tpo.model.ModelConfig;
import dev.tpo.model.ModelFolder;
import dev.tpo.model.ModelInitializer;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.testing.TestActivityEnvironment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

/** A file store, a step environment and tiny random Llama models over the real Llama 3.1 tokenizer. */
final class StepTestSupport {
    static final int LLAMA3_VOCAB = 128256;
    static final Clock FIXED_CLOCK = Clock.fixed(Instant.parse("2025-03-07T10:00:00Z"), ZoneOffset.UTC);
    static final ActivityOptions ONE_ATTEMPT = ActivityOptions.newBuilder()
            .setStartToCloseTimeout(Duration.ofMinutes(5))
            .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
            .build();

    final Path root;
    final FileArtifactStore store;
    final StepServices services;
    final RunContext run;
    final WorkerDrain drain = new WorkerDrain();

    StepTestSupport(Path tempDir, String name) {
        root = tempDir.resolve(name);
        store = new FileArtifactStore(root.resolve("store"));
        services = StepServices.of(
                new StepEnvironment(ArtifactStores.localOnly(), root.resolve("work"), FIXED_CLOCK, drain));
        run = new RunContext("run-1", store.folderUri("artifacts"));
    }

    static Path tokenizerDir() {
        String dir = System.getProperty("tpo.tokenizers.dir");
        if (dir == null || dir.isBlank()) {
            fail("system property tpo.tokenizers.dir is not set; run the tests through Maven");
        }
        Path llama = Path.of(dir).resolve("llama3_1");
        if (!Files.isRegularFile(llama.resolve("tokenizer.json"))) {
            fail("tokenizer files are missing under " + llama + "; run scripts/fetch-test-tokenizers.sh first");
        }
        return llama;
    }

    /** A random two-layer Llama saved with the Llama 3.1 tokenizer, stored as a folder. */
    ArtifactRef tinyModel(String key, long seed) {
        Path dir = root.resolve("models-src").resolve(key);
        ModelConfig config = ModelConfig.llama(LLAMA3_VOCAB, 16, 32, 2, 4, 2, 512);
        try (CausalLm model = ModelInitializer.random(config, seed, Compute.cpu())) {
            ModelFolder.save(model, dir, tokenizerDir());
        }
        return store.putFolder(key, dir);
    }

    ArtifactRef putText(String key, String text) {
        return store.putBytes(key, text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    static TestActivityEnvironment activityEnvironment(Object... steps) {
        TestActivityEnvironment env = TestActivityEnvironment.newInstance();
        env.registerActivitiesImplementations(steps);
        return env;
    }

    static byte[] bytes(ArtifactRef ref) {
        try {
            return Files.readAllBytes(Path.of(java.net.URI.create(ref.uri())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
