package dev.tpo.cli;

import java.time.Duration;
import java.util.List;

/**
 * One activity of a run, from its workflow history.
 *
 * @param iteration   from the activity's input when it has one, else null
 * @param shard       likewise
 * @param attempts    the attempt that ended it (or the one running)
 * @param waited      scheduled to started of the last attempt: queueing, earlier attempts and retry backoff
 * @param ran         started to closed of the last attempt; null while it runs
 * @param outcome     completed, failed, timed out, canceled or running
 * @param failures    the final failure and the one before the last attempt (Temporal keeps no others)
 * @param artifacts   ArtifactRef-shaped objects in its result
 * @param startedAt   when the last attempt started; null before it starts
 * @param closedAt    when it ended; null while it runs
 */
record StepRecord(
        String workflowId,
        String activityId,
        String type,
        Integer iteration,
        Integer shard,
        int attempts,
        Duration waited,
        Duration ran,
        String outcome,
        List<String> failures,
        List<FoundArtifact> artifacts,
        java.time.Instant startedAt,
        java.time.Instant closedAt) {}
