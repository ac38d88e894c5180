package dev.tpo.cli;

import dev.tpo.model.Compute;
import picocli.CommandLine.Option;

/** Device and precision flags shared by every command that runs the engine. */
final class ComputeOptions {
    @Option(
            names = "--device",
            defaultValue = "auto",
            description = "auto, cpu, gpu or gpu:N (default: ${DEFAULT-VALUE})")
    String device;

    @Option(names = "--dtype", defaultValue = "auto", description = "auto (float32), float32 or float16")
    String dtype;

    Compute resolve() {
        return Compute.resolve(device, dtype);
    }
}
