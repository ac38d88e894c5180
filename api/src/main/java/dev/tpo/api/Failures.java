package dev.tpo.api;

import java.util.Arrays;
import java.util.Optional;

/**
 * Every Temporal failure type a step can end with, and whether Temporal retries it: activities throw them (the
 * activities' {@code StepFailures} maps each exception class to one of these) and workflows list the non-retryable
 * ones in their retry options. A retry runs the same step on the same inputs (resuming from its last heartbeat), so
 * only what can pass by itself is retried: a lost connection, a store or endpoint that is down, a worker that left.
 * A deterministic failure (bad input, bad data, a run that diverged, a model that computes NaN, stored bytes that
 * no longer match their digest) fails the same way on every attempt, so retrying it only hides it.
 *
 * <table>
 * <caption>Failure types</caption>
 * <tr><th>type</th><th>retried</th><th>what fails</th></tr>
 * <tr><td>{@link #INVALID_INPUT}</td><td>no</td><td>a spec field, prompt file line, model folder, tokenizer,
 *     training option, judge or tracking setting the user gave</td></tr>
 * <tr><td>{@link #BAD_DATA}</td><td>no</td><td>a training-data line that cannot be used</td></tr>
 * <tr><td>{@link #TRAINING_DIVERGED}</td><td>no</td><td>training reached a non-finite loss, or non-finite
 *     gradients three steps in a row: a retry resumes the same checkpoint and diverges again</td></tr>
 * <tr><td>{@link #MODEL_NOT_FINITE}</td><td>no</td><td>a model's logits are NaN or infinite while sampling or
 *     decoding greedily: its weights diverged or are corrupt, which no retry heals</td></tr>
 * <tr><td>{@link #ARTIFACT_INTEGRITY}</td><td>no</td><td>stored bytes that no longer hash to their recorded
 *     digest: a retry would read the same stored object again, so the failure names it ({@link CorruptArtifact} in
 *     its details) and the iteration workflow runs the producing step again (which checks its stored output against
 *     the manifest, recomputes it and replaces it) and then the consumer once more; an artifact with no producer in
 *     the iteration (a user's input, an earlier iteration's policy) fails the run</td></tr>
 * <tr><td>{@link #ARTIFACT_MISSING}</td><td>no</td><td>an artifact an earlier step recorded is gone from the
 *     store</td></tr>
 * <tr><td>{@link #JUDGE_FAILED}</td><td>no</td><td>a judge that cannot score: a 4xx other than 408 and 429, a
 *     wrong number of verdicts, an item it cannot judge (a completion whose text holds no verdict is not a failure:
 *     the method counts it as a malformed judgement)</td></tr>
 * <tr><td>{@link #JUDGE_UNAVAILABLE}</td><td>yes</td><td>a judge endpoint that timed out, refused, answered 408,
 *     429 or 5xx, or answered 200 with a body that is no chat completion (an HTML page from a proxy), after the
 *     backend's own retries: endpoints come back. Retried up to the spec's
 *     {@code judge.endpoint.max_step_attempts}</td></tr>
 * <tr><td>{@link #JUDGE_RETRIES_EXHAUSTED}</td><td>no</td><td>the same, on a judging step's last attempt: the
 *     budget is spent, and the one failure names the endpoint (scheme://host:port/path), the attempts made and the
 *     last status or error</td></tr>
 * <tr><td>{@link #TRACKING_UNAVAILABLE}</td><td>yes</td><td>the MLflow server unreachable, 429 or 5xx</td></tr>
 * <tr><td>{@link #WORKER_DRAINING}</td><td>yes</td><td>the worker is shutting down; another one resumes the step
 *     at once</td></tr>
 * <tr><td>{@link #TRANSIENT}</td><td>yes</td><td>anything else: I/O and store errors (S3 down), timeouts, native
 *     engine errors; it may pass on another attempt or worker</td></tr>
 * </table>
 */
public final class Failures {
    /** Bad user input: a spec field, a prompt file line, a model folder. Never retried. */
    public static final String INVALID_INPUT = "TpoInvalidInput";
    /** A training-data line that cannot be used. Never retried. */
    public static final String BAD_DATA = "TpoBadData";
    /** A training run whose loss or gradients became non-finite. Never retried: the retry would diverge again. */
    public static final String TRAINING_DIVERGED = "TpoTrainingDiverged";
    /** A model whose logits are NaN or infinite. Never retried: the weights do not heal. */
    public static final String MODEL_NOT_FINITE = "TpoModelNotFinite";
    /**
     * An artifact whose bytes no longer match its recorded digest. Never retried as is: the workflow recomputes the
     * artifact with its producing step, then runs the consumer again.
     */
    public static final String ARTIFACT_INTEGRITY = "TpoArtifactIntegrity";
    /** An artifact that an earlier step stored is not there. Never retried: nothing puts it back. */
    public static final String ARTIFACT_MISSING = "TpoArtifactMissing";
    /** A judge that cannot score these items (4xx, unreadable replies, wrong verdict counts). Never retried. */
    public static final String JUDGE_FAILED = "TpoJudgeFailed";
    /** A judge endpoint that is down, rate-limiting or answering garbage after its own retries. Retried. */
    public static final String JUDGE_UNAVAILABLE = "TpoJudgeUnavailable";
    /** A judge endpoint still unavailable on a judging step's last allowed attempt. Never retried: budget spent. */
    public static final String JUDGE_RETRIES_EXHAUSTED = "TpoJudgeRetriesExhausted";
    /** The tracking server unreachable or overloaded. Retried. */
    public static final String TRACKING_UNAVAILABLE = "TpoTrackingUnavailable";
    /** The worker is shutting down; the retry resumes elsewhere at once. Retried. */
    public static final String WORKER_DRAINING = "TpoWorkerDraining";
    /** Anything not classed above: I/O, the store, timeouts, the engine. Retried. */
    public static final String TRANSIENT = "TpoTransient";

    /** The table above: each failure type and whether a retry can fix it. */
    public enum Type {
        INVALID_INPUT(Failures.INVALID_INPUT, false),
        BAD_DATA(Failures.BAD_DATA, false),
        TRAINING_DIVERGED(Failures.TRAINING_DIVERGED, false),
        MODEL_NOT_FINITE(Failures.MODEL_NOT_FINITE, false),
        ARTIFACT_INTEGRITY(Failures.ARTIFACT_INTEGRITY, false),
        ARTIFACT_MISSING(Failures.ARTIFACT_MISSING, false),
        JUDGE_FAILED(Failures.JUDGE_FAILED, false),
        JUDGE_UNAVAILABLE(Failures.JUDGE_UNAVAILABLE, true),
        JUDGE_RETRIES_EXHAUSTED(Failures.JUDGE_RETRIES_EXHAUSTED, false),
        TRACKING_UNAVAILABLE(Failures.TRACKING_UNAVAILABLE, true),
        WORKER_DRAINING(Failures.WORKER_DRAINING, true),
        TRANSIENT(Failures.TRANSIENT, true);

        private final String name;
        private final boolean retryable;

        Type(String name, boolean retryable) {
            this.name = name;
            this.retryable = retryable;
        }

        /** The Temporal failure type string. */
        public String typeName() {
            return name;
        }

        public boolean retryable() {
            return retryable;
        }

        /** The type a failure type string names, if it is one of these. */
        public static Optional<Type> of(String typeName) {
            return Arrays.stream(values()).filter(t -> t.name.equals(typeName)).findFirst();
        }
    }

    private Failures() {}

    /** The types that retry options must never retry (a workflow's do-not-retry list). */
    public static String[] nonRetryable() {
        return Arrays.stream(Type.values())
                .filter(t -> !t.retryable)
                .map(Type::typeName)
                .toArray(String[]::new);
    }
}
