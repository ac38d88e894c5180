package dev.tpo.activities;

import dev.tpo.api.Failures;
import dev.tpo.artifacts.ArtifactIntegrityException;
import dev.tpo.method.judge.JudgeException;
import dev.tpo.method.prompts.PromptSetException;
import dev.tpo.model.InvalidModelException;
import dev.tpo.model.tokenizer.TokenizerException;
import dev.tpo.train.DataFormatException;
import dev.tpo.train.InvalidConfigException;
import dev.tpo.tracking.MlflowException;
import io.temporal.client.ActivityCompletionException;
import io.temporal.failure.ApplicationFailure;
import java.util.function.Supplier;

/**
 * Turns library exceptions into Temporal failures: input and integrity problems fail the same way on every attempt,
 * so they are non-retryable; anything else (I/O, a lost connection, a full disk) may pass, so it is retried.
 */
public final class StepFailures {
    private StepFailures() {
    }

    public static ApplicationFailure invalidInput(String message) {
        return ApplicationFailure.newNonRetryableFailure(message, Failures.INVALID_INPUT);
    }

    /** Runs a step body, translating what it throws. */
    static <T> T translate(String step, Supplier<T> body) {
        try {
            return body.get();
        } catch (ApplicationFailure | ActivityCompletionException e) {
            // Already a Temporal failure, or the activity was cancelled or timed out: Temporal handles it as is.
            throw e;
        } catch (ArtifactIntegrityException e) {
            throw ApplicationFailure.newNonRetryableFailureWithCause(step + ": " + e.getMessage(),
                    Failures.ARTIFACT_INTEGRITY, e);
        } catch (PromptSetException | InvalidModelException | TokenizerException | DataFormatException
                 | InvalidConfigException e) {
            throw ApplicationFailure.newNonRetryableFailureWithCause(step + ": " + e.getMessage(),
                    Failures.INVALID_INPUT, e);
        } catch (JudgeException e) {
            if (e.isTransient()) {
                throw ApplicationFailure.newFailureWithCause(step + ": " + e.getMessage(), "TpoJudgeUnavailable", e);
            }
            throw ApplicationFailure.newNonRetryableFailureWithCause(step + ": " + e.getMessage(),
                    Failures.INVALID_INPUT, e);
        } catch (MlflowException e) {
            if (e.retryable()) {
                throw ApplicationFailure.newFailureWithCause(step + ": " + e.getMessage(), "TpoTrackingUnavailable",
                        e);
            }
            throw ApplicationFailure.newNonRetryableFailureWithCause(step + ": " + e.getMessage(),
                    Failures.INVALID_INPUT, e);
        } catch (RuntimeException e) {
            throw ApplicationFailure.newFailureWithCause(step + ": " + e, e.getClass().getSimpleName(), e);
        }
    }
}
