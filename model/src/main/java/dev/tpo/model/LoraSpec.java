package dev.tpo.model;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Low-rank adapters (LoRA, Hu et al. 2021) on chosen projections, as PEFT's {@code LoraConfig} names them:
 * W x + (alpha / r) B A dropout(x), with A [r, in] and B [out, r]; B starts at zero so training starts from the base.
 *
 * @param r              rank
 * @param alpha          lora_alpha; the update is scaled by alpha / r
 * @param dropout        lora_dropout on the adapter's input, training only
 * @param targetModules  projection names: q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj, down_proj
 */
public record LoraSpec(int r, double alpha, double dropout, Set<String> targetModules) {
    public static final Set<String> MODULES =
            Set.of("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj");

    public LoraSpec {
        if (r < 1) {
            throw new IllegalArgumentException("lora r must be >= 1, got " + r);
        }
        if (!(alpha > 0)) {
            throw new IllegalArgumentException("lora_alpha must be positive, got " + alpha);
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("lora_dropout must be in [0, 1), got " + dropout);
        }
        if (targetModules == null || targetModules.isEmpty()) {
            throw new IllegalArgumentException("lora target_modules is empty");
        }
        for (String m : targetModules) {
            if (!MODULES.contains(m)) {
                throw new IllegalArgumentException(
                        "lora target module '" + m + "' is not one of " + new TreeSet<>(MODULES));
            }
        }
        targetModules = Set.copyOf(targetModules);
    }

    /** PEFT's common default: attention query and value projections. */
    public static LoraSpec of(int r, double alpha, double dropout, List<String> targets) {
        return new LoraSpec(r, alpha, dropout, Set.copyOf(targets));
    }

    public double scale() {
        return alpha / r;
    }

    /** Whether the projection at {@code prefix} (e.g. model.layers.0.self_attn.q_proj) gets an adapter. */
    public boolean targets(String prefix) {
        return targetModules.contains(prefix.substring(prefix.lastIndexOf('.') + 1));
    }

    public static String aName(String prefix) {
        return prefix + ".lora_A.weight";
    }

    public static String bName(String prefix) {
        return prefix + ".lora_B.weight";
    }

    public static boolean isAdapter(String name) {
        return name.endsWith(".lora_A.weight") || name.endsWith(".lora_B.weight");
    }
}
