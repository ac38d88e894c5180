package dev.tpo.activities;

import dev.tpo.api.CorruptArtifact;
import dev.tpo.api.Failures;
import dev.tpo.api.spec.InvalidRunSpecException;
import dev.tpo.api.spec.JudgeSettings;
import dev.tpo.artifacts.ArtifactIntegrityException;
import dev.tpo.artifacts.ArtifactNotFoundException;
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
import io.temporal.client.ActivityCompletionException;
import io.temporal.failure.ApplicationFailure;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Turns library exceptions into Temporal failures of the types {@link Failures} lists: {@link #CLASSES} is the one
 * table of which exception class is which type, and the type decides whether Temporal retries it. Deterministic
 * failures (bad input or data, a diverged run, a NaN model, a changed artifact, a judge that cannot score) are
 * non-retryable; anything else (I/O, a lost connection, a full disk) may pass, so it is retried. Judging steps
 * also end a judge endpoint's retries once their budget is spent ({@link #translateJudging}).
 */
public final class StepFailures {
    /** One row of the table: exceptions of {@code exception} (and its subclasses) are of the type {@code type}. */
    record Rule<E extends RuntimeException>(Class<E> exception, Function<E, Failures.Type> type) {
        static <E extends RuntimeException> Rule<E> of(Class<E> exception, Failures.Type type) {
            return new Rule<>(exception, e -> type);
        }

        Failures.Type typeOf(RuntimeException e) {
            return exception.isInstance(e) ? type.apply(exception.cast(e)) : null;
        }
    }

    /** Every exception class with a type of its own, the first match wins: subclasses before their superclasses. */
    static final List<Rule<?>> CLASSES = List.of(
            Rule.of(TrainingDivergedException.class, Failures.Type.TRAINING_DIVERGED),
            Rule.of(NonFiniteLogitsException.class, Failures.Type.MODEL_NOT_FINITE),
            Rule.of(DataFormatException.class, Failures.Type.BAD_DATA),
            Rule.of(ArtifactIntegrityException.class, Failures.Type.ARTIFACT_INTEGRITY),
            Rule.of(ArtifactNotFoundException.class, Failures.Type.ARTIFACT_MISSING),
            Rule.of(PromptSetException.class, Failures.Type.INVALID_INPUT),
            Rule.of(InvalidModelException.class, Failures.Type.INVALID_INPUT),
            Rule.of(TokenizerException.class, Failures.Type.INVALID_INPUT),
            Rule.of(ChatTemplateException.class, Failures.Type.INVALID_INPUT),
            Rule.of(InvalidConfigException.class, Failures.Type.INVALID_INPUT),
            Rule.of(InvalidRunSpecException.class, Failures.Type.INVALID_INPUT),
            new Rule<>(
                    JudgeException.class,
                    e -> e.isTransient() ? Failures.Type.JUDGE_UNAVAILABLE : Failures.Type.JUDGE_FAILED),
            // A tracking call the server refused (credentials, an invalid value) is the run's tracking settings.
            new Rule<>(
                    MlflowException.class,
                    e -> e.retryable() ? Failures.Type.TRACKING_UNAVAILABLE : Failures.Type.INVALID_INPUT));

    private StepFailures() {}

    public static ApplicationFailure invalidInput(String message) {
        return ApplicationFailure.newNonRetryableFailure(message, Failures.INVALID_INPUT);
    }

    /** The failure type of {@code e}: its row of {@link #CLASSES}, else {@link Failures.Type#TRANSIENT}. */
    static Failures.Type typeOf(RuntimeException e) {
        for (Rule<?> rule : CLASSES) {
            Failures.Type type = rule.typeOf(e);
            if (type != null) {
                return type;
            }
        }
        return Failures.Type.TRANSIENT;
    }

    /** The Temporal failure for what a step threw, retryable exactly when its type is. */
    static ApplicationFailure failure(String step, RuntimeException e) {
        Failures.Type type = typeOf(e);
        // An unclassed exception keeps its class name in the message: its type says nothing about it.
        String message = step + ": " + (type == Failures.Type.TRANSIENT ? e.toString() : e.getMessage());
        Object[] details = details(e);
        return type.retryable()
                ? ApplicationFailure.newFailureWithCause(message, type.typeName(), e, details)
                : ApplicationFailure.newNonRetryableFailureWithCause(message, type.typeName(), e, details);
    }

    /** What a workflow needs to act on the failure: for a corrupt input, which object, so it can recompute it. */
    private static Object[] details(RuntimeException e) {
        if (e instanceof ArtifactIntegrityException corrupt) {
            return new Object[] {new CorruptArtifact(corrupt.uri(), corrupt.expectedSha256(), corrupt.actualSha256())};
        }
        return new Object[0];
    }

    /**
     * Runs a judging step body, translating what it throws like {@link #translate}, except that an endpoint still
     * failing on the step's last attempt ({@code judge.endpoint.max_step_attempts}) fails the step for good: one
     * non-retryable {@link Failures#JUDGE_RETRIES_EXHAUSTED} that names the endpoint, the attempts made and the
     * last failure, where Temporal would otherwise end the run with its generic "maximum attempts reached" around
     * a failure marked retryable.
     *
     * @param attempt this attempt of the step, 1-based (the activity info's)
     */
    static <T> T translateJudging(String step, JudgeSettings judge, int attempt, Supplier<T> body) {
        return translate(step, () -> {
            try {
                return body.get();
            } catch (EndpointUnavailableException e) {
                if (judge.endpoint() != null && attempt >= judge.endpoint().maxStepAttempts()) {
                    throw retriesExhausted(step, attempt, e);
                }
                throw e;
            }
        });
    }

    private static ApplicationFailure retriesExhausted(String step, int attempts, EndpointUnavailableException e) {
        String message = String.format(
                Locale.ROOT,
                "%s: gave up on the judge endpoint %s after %d step attempts (judge.endpoint.max_step_attempts),"
                        + " the last sending one request %d times (1 + judge.endpoint.max_retries); last failure: %s",
                step,
                e.endpoint(),
                attempts,
                e.requests(),
                e.lastFailure());
        return ApplicationFailure.newNonRetryableFailureWithCause(message, Failures.JUDGE_RETRIES_EXHAUSTED, e);
    }

    /** Runs a step body, translating what it throws. */
    static <T> T translate(String step, Supplier<T> body) {
        try {
            return body.get();
        } catch (ApplicationFailure | ActivityCompletionException e) {
            // Already a Temporal failure, or the activity was cancelled or timed out: Temporal handles it as is.
            throw e;
        } catch (RuntimeException e) {
            throw failure(step, e);
        }
    }
}
