package dev.tpo.train;

import java.time.Duration;

/** What a progress display needs after each optimiser step. */
public record TrainingProgress(
        int step, int totalSteps, double epoch, double loss, double tokensPerSecond, Duration eta) {}
