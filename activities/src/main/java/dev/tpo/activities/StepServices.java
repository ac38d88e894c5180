package dev.tpo.activities;

import dev.tpo.activities.heartbeat.WorkerDrain;
import dev.tpo.activities.storage.ModelCache;
import dev.tpo.activities.storage.RunStores;
import dev.tpo.activities.storage.ScratchDir;
import dev.tpo.activities.storage.StepJson;
import dev.tpo.activities.storage.StepKeys;
import dev.tpo.activities.storage.StepRecorder;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * What the step implementations share within one worker: stores by run, JSON conventions, input keys, the model
 * cache and the manifest recorder. Built once per {@link ActivitySet} list from the worker's environment.
 */
public record StepServices(
        Path workDir,
        RunStores runStores,
        StepJson json,
        StepKeys keys,
        ModelCache models,
        StepRecorder recorder,
        Clock clock,
        Duration heartbeatEvery,
        WorkerDrain drain) {
    ScratchDir scratch(String step) {
        return new ScratchDir(workDir, step);
    }

    static StepServices of(StepEnvironment env) {
        StepJson json = new StepJson();
        return new StepServices(
                env.workDir(),
                new RunStores(env.stores()),
                json,
                new StepKeys(json),
                new ModelCache(env.stores(), env.workDir()),
                new StepRecorder(env.clock()),
                env.clock(),
                Duration.ofSeconds(30),
                env.drain());
    }
}
