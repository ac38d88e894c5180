package dev.tpo.activities;

import dev.tpo.activities.heartbeat.WorkerDrain;
import dev.tpo.artifacts.ArtifactStores;
import java.nio.file.Path;
import java.time.Clock;

/**
 * What every step implementation needs from the worker process that hosts it.
 *
 * @param stores  resolves any artifact URI (s3:// or file://) to its store
 * @param workDir local scratch and cache (model folders by digest, checkpoints in progress)
 * @param clock   timestamps in the manifest and chat templates that print a date; fixed in tests
 * @param drain   set when the worker is shutting down: long steps end at their next resumable point
 */
public record StepEnvironment(ArtifactStores stores, Path workDir, Clock clock, WorkerDrain drain) {}
