package dev.tpo.api.steps;

import dev.tpo.api.spec.RunSpec;

/** Check and pin the run's inputs before any GPU work: every URI resolves, every file parses. */
public record PrepareRunInput(RunContext run, RunSpec spec) {
}
