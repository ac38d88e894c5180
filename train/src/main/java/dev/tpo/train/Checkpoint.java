package dev.tpo.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tpo.model.CausalLm;
import dev.tpo.model.ModelFolder;
import dev.tpo.model.weights.ModelWeights;
import dev.tpo.model.weights.SafetensorsFile;
import dev.tpo.model.weights.SafetensorsWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A {@code checkpoint-<step>/} folder: the model as an HF folder (config.json, model.safetensors; LoRA merged in),
 * the LoRA adapters alone under adapter/ when training adapters, the optimiser moments under optimizer/, and
 * trainer_state.json. It is assembled under a temporary name and renamed into place,
 * so a folder with the final name is always complete.
 */
public final class Checkpoint {
    public static final String PREFIX = "checkpoint-";
    static final String OPTIMIZER_DIR = "optimizer";
    static final String ADAPTER_DIR = "adapter";

    private Checkpoint() {}

    public static Path save(Path outputDir, CausalLm model, AdamW optimizer, TrainerState state, Path sourceModelDir) {
        Path target = outputDir.resolve(PREFIX + state.globalStep());
        Path tmp = outputDir.resolve("." + PREFIX + state.globalStep() + ".tmp");
        try {
            deleteTree(tmp);
            ModelFolder.save(model, tmp, sourceModelDir);
            if (model.lora().isPresent()) {
                new SafetensorsWriter(ModelFolder.DEFAULT_MAX_SHARD_BYTES)
                        .write(tmp.resolve(ADAPTER_DIR), new TreeMap<>(model.trainableParameters()));
            }
            optimizer.save(tmp.resolve(OPTIMIZER_DIR));
            ObjectMapper json = new ObjectMapper();
            json.writerWithDefaultPrettyPrinter()
                    .writeValue(tmp.resolve(TrainerState.FILE).toFile(), state.toJson(json));
            deleteTree(target);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint " + target + ": " + e.getMessage(), e);
        }
        return target;
    }

    /**
     * Copies the checkpoint's trained tensors into the model in place (the adapters for a LoRA model, whose base
     * weights never change, else every weight) and returns its trainer state.
     */
    public static TrainerState restore(Path checkpoint, CausalLm model, AdamW optimizer) {
        TrainerState state = TrainerState.read(checkpoint.resolve(TrainerState.FILE));
        if (model.lora().isPresent()) {
            restoreAdapters(checkpoint.resolve(ADAPTER_DIR).resolve(SafetensorsWriter.SINGLE_FILE), model);
            optimizer.load(checkpoint.resolve(OPTIMIZER_DIR), state.globalStep());
            return state;
        }
        try (NDManager scratch = model.manager().newSubManager()) {
            Map<String, NDArray> saved = ModelWeights.load(checkpoint, model.config(), scratch, model.dtype());
            for (Map.Entry<String, NDArray> e : model.parameters().entrySet()) {
                saved.get(e.getKey()).copyTo(e.getValue());
            }
        }
        optimizer.load(checkpoint.resolve(OPTIMIZER_DIR), state.globalStep());
        return state;
    }

    private static void restoreAdapters(Path file, CausalLm model) {
        if (!Files.isRegularFile(file)) {
            throw new InvalidConfigException(
                    "resume_from_checkpoint", file + " is missing: the checkpoint was " + "not made by LoRA training");
        }
        try (SafetensorsFile saved = SafetensorsFile.open(file);
                NDManager scratch = model.manager().newSubManager()) {
            for (Map.Entry<String, NDArray> e : model.trainableParameters().entrySet()) {
                if (!saved.entries().containsKey(e.getKey())) {
                    throw new InvalidConfigException(
                            "resume_from_checkpoint",
                            file + " has no adapter '" + e.getKey() + "': it was made with other LoRA target modules");
                }
                saved.read(scratch, e.getKey(), e.getValue().getDataType()).copyTo(e.getValue());
            }
        }
    }

    /** The checkpoint with the highest step in {@code outputDir}, if any. */
    public static Optional<Path> latest(Path outputDir) {
        if (!Files.isDirectory(outputDir)) {
            return Optional.empty();
        }
        try (Stream<Path> s = Files.list(outputDir)) {
            return s.filter(p -> p.getFileName().toString().matches(PREFIX + "\\d+") && Files.isDirectory(p))
                    .max(Comparator.comparingInt(
                            p -> Integer.parseInt(p.getFileName().toString().substring(PREFIX.length()))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
