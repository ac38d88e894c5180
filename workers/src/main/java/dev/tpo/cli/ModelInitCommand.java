package dev.tpo.cli;

import dev.tpo.model.CausalLm;
import dev.tpo.model.ModelConfig;
import dev.tpo.model.ModelFolder;
import dev.tpo.model.ModelInitializer;
import java.nio.file.Path;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "init",
        mixinStandardHelpOptions = true,
        description = "Write a randomly initialised model folder for a config.json (for tests and demos).")
final class ModelInitCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Option(names = "--config", required = true, description = "a Hugging Face config.json")
    Path config;

    /** The model folder to write. */
    @ArgGroup(exclusive = true, multiplicity = "1")
    OutputDir output;

    @Option(names = "--seed", defaultValue = "0", description = "weights depend only on the config and this seed")
    long seed;

    @Option(names = "--tokenizer", description = "a folder whose tokenizer files are copied into the new model")
    Path tokenizer;

    @Mixin
    ComputeOptions compute;

    @Override
    public void run() {
        ModelConfig parsed = ModelConfig.read(config);
        try (CausalLm model = ModelInitializer.random(parsed, seed, compute.resolve())) {
            ModelFolder.save(model, output.dir, tokenizer);
        }
        spec.commandLine()
                .getErr()
                .printf("wrote %s: %s, %,d parameters%n", output.dir, parsed.architecture(), parsed.parameterCount());
    }
}
