package dev.tpo.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tpo.model.weights.ModelWeights;
import dev.tpo.model.weights.SafetensorsWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;

/**
 * A Hugging Face model folder: config.json, safetensors weights and (optionally) tokenizer files. Loading checks
 * the folder against the config; saving writes a folder that {@code from_pretrained} loads unchanged.
 */
public final class ModelFolder {
    /** Files that travel with the weights when a folder is saved from another (tokenizer and generation). */
    public static final List<String> COMPANION_FILES = List.of(
            "tokenizer.json",
            "tokenizer_config.json",
            "special_tokens_map.json",
            "generation_config.json",
            "chat_template.jinja",
            "chat_template.json",
            "vocab.json",
            "merges.txt",
            "tokenizer.model",
            "added_tokens.json");

    public static final long DEFAULT_MAX_SHARD_BYTES = 5L << 30;
    private static final ObjectMapper JSON = new ObjectMapper();

    private ModelFolder() {}

    public static CausalLm load(Path dir, Compute compute) {
        return load(dir, compute, NDManager.newBaseManager(compute.device()));
    }

    /** Loads with fresh LoRA adapters on the spec's projections (B = 0, so it starts as the folder's model). */
    public static CausalLm load(Path dir, Compute compute, LoraSpec lora, long loraSeed) {
        CausalLm base = load(dir, compute);
        try {
            Map<String, NDArray> params = new java.util.LinkedHashMap<>(base.parameters());
            params.putAll(LoraAdapters.create(base.config(), lora, loraSeed, base.manager(), base.dtype()));
            return new CausalLm(base.config(), base.manager(), params, base.dtype(), lora);
        } catch (RuntimeException e) {
            base.close();
            throw e;
        }
    }

    /** Loads into {@code manager}, which the returned model owns and closes. */
    public static CausalLm load(Path dir, Compute compute, NDManager manager) {
        if (!Files.isDirectory(dir)) {
            manager.close();
            throw new InvalidModelException("model folder not found: " + dir);
        }
        try {
            ModelConfig config = ModelConfig.read(dir.resolve("config.json"));
            Map<String, NDArray> params = ModelWeights.load(dir, config, manager, compute.dtype());
            return new CausalLm(config, manager, params, compute.dtype());
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    public static void save(CausalLm model, Path dir, Path companionSource) {
        save(model, dir, companionSource, DEFAULT_MAX_SHARD_BYTES);
    }

    /**
     * Writes config.json, the weights (sharded above {@code maxShardBytes}) and copies the tokenizer and
     * generation files from {@code companionSource} (may be null).
     */
    public static void save(CausalLm model, Path dir, Path companionSource, long maxShardBytes) {
        try (NDManager scope = model.manager().newSubManager()) {
            Files.createDirectories(dir);
            Map<String, NDArray> tensors = new java.util.TreeMap<>(model.exportParameters(scope));
            new SafetensorsWriter(maxShardBytes).write(dir, tensors);
            String dtype = switch (model.dtype()) {
                case BFLOAT16 -> "bfloat16";
                case FLOAT16 -> "float16";
                default -> "float32";
            };
            Path config = dir.resolve("config.json");
            Path tmp = dir.resolve("config.json.tmp");
            JSON.writerWithDefaultPrettyPrinter()
                    .writeValue(tmp.toFile(), model.config().toJson(dtype));
            Files.move(tmp, config, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            if (companionSource != null
                    && !companionSource
                            .toAbsolutePath()
                            .normalize()
                            .equals(dir.toAbsolutePath().normalize())) {
                for (String name : COMPANION_FILES) {
                    Path src = companionSource.resolve(name);
                    if (Files.isRegularFile(src)) {
                        Files.copy(src, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save model to " + dir + ": " + e.getMessage(), e);
        }
    }
}
