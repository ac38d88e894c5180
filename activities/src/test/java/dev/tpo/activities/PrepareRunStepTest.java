package dev.tpo.activities;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tpo.api.ArtifactRef;
import dev.tpo.api.Failures;
import dev.tpo.api.activities.PrepareRunActivity;
import dev.tpo.api.spec.RunSpec;
import dev.tpo.api.spec.RunSpecParser;
import dev.tpo.api.steps.PrepareRunInput;
import dev.tpo.api.steps.RunInputs;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 5, unit = TimeUnit.MINUTES)
class PrepareRunStepTest {
    private static final String GOOD = "{\"id\":\"a\",\"prompt\":\"1+1?\",\"reference\":\"2\"}\n\n"
            + "{\"id\":\"b\",\"prompt\":\"2+2?\",\"reference\":\"4\"}\n";

    @TempDir
    Path tempDir;

    private StepTestSupport t;
    private TestActivityEnvironment env;
    private PrepareRunActivity prepare;
    private ArtifactRef seed;

    @BeforeEach
    void setUp() {
        t = new StepTestSupport(tempDir, "prepare");
        seed = t.tinyModel("models/seed", 1);
        env = StepTestSupport.activityEnvironment(new PrepareRunStep(t.services));
        prepare = env.newActivityStub(PrepareRunActivity.class, StepTestSupport.ONE_ATTEMPT);
    }

    @AfterEach
    void tearDown() {
        env.close();
    }

    private RunSpec spec(String seedUri, String trainUri, String evalUri) {
        return new RunSpecParser()
                .parse("{\"seed_policy\":\"" + seedUri + "\",\"train_prompts\":\"" + trainUri + "\",\"eval_prompts\":\""
                        + evalUri + "\",\"artifact_root\":\"" + t.run.artifactRoot() + "\"}");
    }

    private ApplicationFailure rejected(RunSpec spec) {
        ActivityFailure failure =
                assertThrows(ActivityFailure.class, () -> prepare.prepareRun(new PrepareRunInput(t.run, spec)));
        ApplicationFailure cause = (ApplicationFailure) failure.getCause();
        assertEquals(Failures.INVALID_INPUT, cause.getType());
        assertTrue(cause.isNonRetryable());
        return cause;
    }

    @Test
    void pinsGoodInputs() {
        ArtifactRef train = t.putText("user/train.jsonl", GOOD);
        ArtifactRef eval = t.putText("user/eval.jsonl", GOOD);
        RunInputs inputs = prepare.prepareRun(new PrepareRunInput(t.run, spec(seed.uri(), train.uri(), eval.uri())));
        assertEquals(seed.sha256(), inputs.seedPolicy().sha256());
        assertEquals(2, inputs.trainPromptCount());
        assertEquals(train.sha256(), inputs.trainPrompts().sha256());
        assertTrue(inputs.trainPrompts().uri().contains("runs/run-1/inputs/"));
        assertNull(inputs.judgeModel());
    }

    @Test
    void namesTheBrokenPromptLine() {
        ArtifactRef train = t.putText("user/train.jsonl", GOOD + "{\"id\":\"c\",\"prompt\":}\n");
        ArtifactRef eval = t.putText("user/eval.jsonl", GOOD);
        ApplicationFailure f = rejected(spec(seed.uri(), train.uri(), eval.uri()));
        assertTrue(f.getOriginalMessage().contains(train.uri() + ":4"), f.getOriginalMessage());
    }

    @Test
    void verifierNeedsAReferenceOnEveryPrompt() {
        ArtifactRef train = t.putText("user/train.jsonl", GOOD);
        ArtifactRef eval = t.putText("user/eval.jsonl", GOOD + "{\"id\":\"open\",\"prompt\":\"Write a poem\"}\n");
        ApplicationFailure f = rejected(spec(seed.uri(), train.uri(), eval.uri()));
        assertTrue(f.getOriginalMessage().contains(eval.uri() + ":4"), f.getOriginalMessage());
        assertTrue(f.getOriginalMessage().contains("'open'"), f.getOriginalMessage());
    }

    @Test
    void rejectsAFolderWithoutConfigAndAMissingFile() {
        ArtifactRef train = t.putText("user/train.jsonl", GOOD);
        t.putText("not-a-model/readme.txt", "hello");
        ApplicationFailure noConfig = rejected(spec(t.store.folderUri("not-a-model"), train.uri(), train.uri()));
        assertTrue(noConfig.getOriginalMessage().contains("config.json"), noConfig.getOriginalMessage());
        ApplicationFailure missing = rejected(spec(seed.uri(), t.store.uri("user/nope.jsonl"), train.uri()));
        assertTrue(missing.getOriginalMessage().contains("train_prompts"), missing.getOriginalMessage());
    }
}
