package dev.tpo.workflows;

import dev.tpo.api.ArtifactRef;
import dev.tpo.api.CorruptArtifact;
import dev.tpo.api.Failures;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Recomputes an artifact that a step found corrupt, then runs that step once more. A consumer whose input no longer
 * hashes to its digest fails with {@link Failures#ARTIFACT_INTEGRITY} naming the object ({@link CorruptArtifact});
 * retrying it would read the same bytes, so instead the step that produced the artifact in this iteration runs
 * again (it checks its stored output against the manifest, finds it corrupt, recomputes and replaces it) and the
 * consumer runs again on the new reference. A second integrity failure, or one about an artifact no step of this
 * iteration produced (a user's input, the policy the iteration started from), fails the step as before.
 *
 * <p>Workflow state only, and only on the failure path: a run without corrupt artifacts issues exactly the commands
 * it did before, so recorded histories still replay.
 */
final class CorruptInputRecovery {
    /** A producing step: the reference it currently stands for, and how to run it again (updating that reference). */
    private record Producer(Supplier<ArtifactRef> output, Runnable recompute) {}

    private final List<Producer> producers = new ArrayList<>();

    /** Registers a step's output; {@code recompute} reruns the step and stores its new output where {@code output} reads it. */
    void producedBy(Supplier<ArtifactRef> output, Runnable recompute) {
        producers.add(new Producer(output, recompute));
    }

    /** Runs {@code consumer}; if it finds one of the registered outputs corrupt, recomputes that and runs it again. */
    <T> T consume(Supplier<T> consumer) {
        try {
            return consumer.get();
        } catch (ActivityFailure e) {
            Producer producer = corruptArtifact(e).flatMap(this::producerOf).orElseThrow(() -> e);
            producer.recompute().run();
            return consumer.get();
        }
    }

    private Optional<Producer> producerOf(CorruptArtifact corrupt) {
        return producers.stream().filter(p -> corrupt.isIn(p.output().get())).findFirst();
    }

    static Optional<CorruptArtifact> corruptArtifact(ActivityFailure failure) {
        if (failure.getCause() instanceof ApplicationFailure app
                && Failures.ARTIFACT_INTEGRITY.equals(app.getType())
                && app.getDetails().getSize() > 0) {
            return Optional.of(app.getDetails().get(CorruptArtifact.class));
        }
        return Optional.empty();
    }
}
