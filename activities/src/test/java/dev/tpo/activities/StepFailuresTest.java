package dev.tpo.activities;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tpo.activities.heartbeat.WorkerDrain;
import dev.tpo.api.ArtifactRef;
import dev.tpo.api.CorruptArtifact;
import dev.tpo.api.Failures;
import dev.tpo.api.spec.InvalidRunSpecException;
import dev.tpo.api.spec.JudgeEndpoint;
import dev.tpo.api.spec.JudgeSettings;
import dev.tpo.api.spec.JudgeType;
import dev.tpo.artifacts.ArtifactIntegrityException;
import dev.tpo.artifacts.ArtifactNotFoundException;
import dev.tpo.artifacts.ArtifactStoreException;
import dev.tpo.method.judge.EndpointUnavailableException;
import dev.tpo.method.judge.JudgeException;
import dev.tpo.method.prompts.PromptSetException;
import dev.tpo.model.InvalidModelException;
import dev.tpo.model.NonFiniteLogitsException;
import dev.tpo.model.tokenizer.ChatTemplateException;
import dev.tpo.model.tokenizer.TokenizerException;
import dev.tpo.tracking.MlflowException;
import dev.tpo.train.DataFormatException;
import dev.tpo.train.InvalidConfigException;
import dev.tpo.train.TrainingDivergedException;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Each exception class a step may throw becomes its failure type, retryable exactly when a retry can fix it. */
class StepFailuresTest {
    private record Case(RuntimeException thrown, Failures.Type type) {}

    private static final List<Case> CASES = List.of(
            new Case(new TrainingDivergedException(3, "loss NaN, grad_norm NaN"), Failures.Type.TRAINING_DIVERGED),
            new Case(new NonFiniteLogitsException(1, Float.NaN), Failures.Type.MODEL_NOT_FINITE),
            new Case(
                    new DataFormatException(Path.of("training-pairs.jsonl"), 3, "expected a JSON object"),
                    Failures.Type.BAD_DATA),
            new Case(
                    new ArtifactIntegrityException("s3://b/run/x.jsonl", "aa", "bb"), Failures.Type.ARTIFACT_INTEGRITY),
            new Case(new ArtifactNotFoundException("s3://b/run/x.jsonl", ""), Failures.Type.ARTIFACT_MISSING),
            new Case(new PromptSetException("train.jsonl:3: missing field 'prompt'"), Failures.Type.INVALID_INPUT),
            new Case(new InvalidModelException("config.json: hidden_size is missing"), Failures.Type.INVALID_INPUT),
            new Case(new TokenizerException("tokenizer.json: no model"), Failures.Type.INVALID_INPUT),
            new Case(new ChatTemplateException("unknown tag 'foo'"), Failures.Type.INVALID_INPUT),
            new Case(new InvalidConfigException("learning_rate", "-1 is not positive"), Failures.Type.INVALID_INPUT),
            new Case(new InvalidRunSpecException(List.of("dpo.beta: required")), Failures.Type.INVALID_INPUT),
            new Case(new JudgeException("http://judge/v1 answered 400: bad model", false), Failures.Type.JUDGE_FAILED),
            new Case(
                    new JudgeException("interrupted while waiting for the judge endpoint", true),
                    Failures.Type.JUDGE_UNAVAILABLE),
            new Case(
                    new EndpointUnavailableException(
                            "http://judge:8000/v1/chat/completions", 4, "status 503: 'down'", null),
                    Failures.Type.JUDGE_UNAVAILABLE),
            new Case(
                    new MlflowException("403 Forbidden", 403, "PERMISSION_DENIED", false, null),
                    Failures.Type.INVALID_INPUT),
            new Case(new MlflowException("connection refused", 0, "", true, null), Failures.Type.TRACKING_UNAVAILABLE),
            new Case(
                    new ArtifactStoreException("could not fetch s3://b/x: S3 status 503 SlowDown"),
                    Failures.Type.TRANSIENT),
            new Case(new UncheckedIOException(new IOException("No space left on device")), Failures.Type.TRANSIENT),
            new Case(new IllegalStateException("CUDA error: an illegal memory access"), Failures.Type.TRANSIENT));

    @Test
    void everyExceptionClassBecomesItsTypeRetryableExactlyWhenTheTableSaysSo() {
        for (Case c : CASES) {
            String what =
                    c.thrown().getClass().getSimpleName() + ": " + c.thrown().getMessage();
            ApplicationFailure f = assertThrows(
                    ApplicationFailure.class,
                    () -> StepFailures.translate("train", () -> {
                        throw c.thrown();
                    }),
                    what);
            assertEquals(c.type().typeName(), f.getType(), what);
            assertEquals(!c.type().retryable(), f.isNonRetryable(), what);
            assertSame(c.thrown(), f.getCause(), what);
            assertTrue(f.getOriginalMessage().startsWith("train: "), f.getOriginalMessage());
            assertTrue(f.getOriginalMessage().contains(c.thrown().getMessage()), f.getOriginalMessage());
        }
    }

    @Test
    void anIntegrityFailureNamesTheCorruptObjectInItsDetailsSoTheWorkflowCanRecomputeIt() {
        String uri = "s3://b/runs/r1/iter-1/generate/k/generations-000.jsonl";
        ApplicationFailure f =
                StepFailures.failure("judge", new ArtifactIntegrityException(uri, "a".repeat(64), "b".repeat(64)));

        CorruptArtifact corrupt = f.getDetails().get(CorruptArtifact.class);
        assertEquals(new CorruptArtifact(uri, "a".repeat(64), "b".repeat(64)), corrupt);
        assertTrue(corrupt.isIn(new ArtifactRef(uri, "a".repeat(64), 10)));
        assertTrue(corrupt.isIn(new ArtifactRef("s3://b/runs/r1/iter-1/generate/k/", "a".repeat(64), 10)));
        assertFalse(corrupt.isIn(new ArtifactRef("s3://b/runs/r1/iter-1/judge/k/", "a".repeat(64), 10)));
        assertEquals(
                0,
                StepFailures.failure("judge", new IllegalStateException("x"))
                        .getDetails()
                        .getSize());
    }

    @Test
    void theDeterministicFailuresAreNotRetried() {
        Set<Failures.Type> nonRetryable = EnumSet.of(
                Failures.Type.INVALID_INPUT,
                Failures.Type.BAD_DATA,
                Failures.Type.TRAINING_DIVERGED,
                Failures.Type.MODEL_NOT_FINITE,
                Failures.Type.ARTIFACT_INTEGRITY,
                Failures.Type.ARTIFACT_MISSING,
                Failures.Type.JUDGE_FAILED,
                Failures.Type.JUDGE_RETRIES_EXHAUSTED);
        for (Failures.Type t : Failures.Type.values()) {
            assertEquals(!nonRetryable.contains(t), t.retryable(), t.name());
        }
        // the workflows' do-not-retry list is the same set
        assertEquals(
                nonRetryable.stream().map(Failures.Type::typeName).collect(Collectors.toSet()),
                Set.copyOf(Arrays.asList(Failures.nonRetryable())));
    }

    @Test
    void everyTypeInTheTableIsCoveredAndEveryTypeActivitiesThrowIsInIt() {
        Set<Failures.Type> covered = CASES.stream().map(Case::type).collect(Collectors.toSet());
        covered.add(Failures.Type.of(WorkerDrain.TYPE).orElseThrow());
        // made by translateJudging on a judging step's last attempt (tested below)
        covered.add(Failures.Type.JUDGE_RETRIES_EXHAUSTED);
        assertEquals(EnumSet.allOf(Failures.Type.class), covered);

        ApplicationFailure drained = WorkerDrain.stopped("generate", "chunk 2");
        assertEquals(Failures.WORKER_DRAINING, drained.getType());
        assertTrue(!drained.isNonRetryable() && Failures.Type.WORKER_DRAINING.retryable());
        // a failure a step already made passes through as it is
        ApplicationFailure again = assertThrows(
                ApplicationFailure.class,
                () -> StepFailures.translate("generate", () -> {
                    throw drained;
                }));
        assertSame(drained, again);
        ApplicationFailure input = StepFailures.invalidInput("run.name: required");
        assertEquals(Failures.INVALID_INPUT, input.getType());
        assertTrue(input.isNonRetryable());
    }

    private static JudgeSettings endpointJudge(int maxStepAttempts) {
        return new JudgeSettings(
                JudgeType.POINTWISE_LLM,
                null,
                new JudgeEndpoint("http://judge:8000/v1", "judge-70b", null, null, null, null, maxStepAttempts),
                null,
                null,
                null,
                null);
    }

    private static ApplicationFailure judging(JudgeSettings judge, int attempt, RuntimeException thrown) {
        return assertThrows(
                ApplicationFailure.class,
                () -> StepFailures.translateJudging("judge", judge, attempt, () -> {
                    throw thrown;
                }));
    }

    @Test
    void anEndpointStillFailingOnTheLastStepAttemptEndsTheRetriesWithOneFailureNamingIt() {
        EndpointUnavailableException down = new EndpointUnavailableException(
                "http://judge:8000/v1/chat/completions", 7, "status 429: 'slow'", null);
        JudgeSettings judge = endpointJudge(3);

        for (int attempt = 1; attempt <= 2; attempt++) {
            ApplicationFailure early = judging(judge, attempt, down);
            assertEquals(Failures.JUDGE_UNAVAILABLE, early.getType());
            assertFalse(early.isNonRetryable(), "attempt " + attempt + " of 3 is retried");
        }
        ApplicationFailure last = judging(judge, 3, down);
        assertEquals(Failures.JUDGE_RETRIES_EXHAUSTED, last.getType());
        assertTrue(last.isNonRetryable());
        assertSame(down, last.getCause());
        assertEquals(
                "judge: gave up on the judge endpoint http://judge:8000/v1/chat/completions after 3 step attempts"
                        + " (judge.endpoint.max_step_attempts), the last sending one request 7 times"
                        + " (1 + judge.endpoint.max_retries); last failure: status 429: 'slow'",
                last.getOriginalMessage());

        // A permanent judge failure keeps its own type; a judge without an endpoint has no such budget.
        ApplicationFailure permanent = judging(judge, 3, new JudgeException("answered 401: bad key", false));
        assertEquals(Failures.JUDGE_FAILED, permanent.getType());
        JudgeSettings verifier = JudgeSettings.defaults();
        assertEquals(Failures.JUDGE_UNAVAILABLE, judging(verifier, 99, down).getType());
        assertEquals(
                Failures.TRANSIENT,
                judging(judge, 3, new IllegalStateException("store down")).getType());
    }
}
