package dev.tpo.cli;

import dev.tpo.model.CausalLm;
import dev.tpo.model.Compute;
import dev.tpo.model.LoraSpec;
import dev.tpo.model.ModelFolder;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/** LoRA flags, named after PEFT's LoraConfig; without --lora-r the trainer fine-tunes every weight. */
final class LoraOptions {
    @Option(names = "--lora-r", defaultValue = "0", description = "LoRA rank; 0 (default): full fine-tuning")
    int r;

    @Option(names = "--lora-alpha", defaultValue = "16", description = "scale alpha / r (default 16)")
    double alpha;

    @Option(names = "--lora-dropout", defaultValue = "0.05")
    double dropout;

    @Option(
            names = "--lora-target-modules",
            split = ",",
            defaultValue = "q_proj,v_proj",
            description = "projections with adapters: q_proj,k_proj,v_proj,o_proj,gate_proj,up_proj,down_proj")
    List<String> targets;

    /** The model to train: plain, or with fresh adapters that are merged into the weights the run saves. */
    CausalLm load(Path model, Compute compute, long seed) {
        if (r == 0) {
            return ModelFolder.load(model, compute);
        }
        LoraSpec spec;
        try {
            spec = LoraSpec.of(r, alpha, dropout, targets);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--lora-*: " + e.getMessage(), e);
        }
        return ModelFolder.load(model, compute, spec, seed);
    }
}
