package dev.tpo.model.weights;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tpo.model.InvalidModelException;
import dev.tpo.model.ModelConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;

/** Reads a folder's safetensors (single file or sharded) into parameters checked against the config. */
public final class ModelWeights {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ModelWeights() {}

    /**
     * Loads every tensor the config implies into {@code manager}, converted to {@code type} on {@code device}.
     * Tensors are read one at a time from memory maps, so peak memory is the parameters plus one tensor.
     */
    public static Map<String, NDArray> load(Path dir, ModelConfig config, NDManager manager, DataType type) {
        Map<String, Path> fileOf = tensorFiles(dir);
        Map<String, long[]> layout = ParameterLayout.of(config);
        Map<Path, SafetensorsFile> open = new HashMap<>();
        Map<String, NDArray> params = new LinkedHashMap<>();
        try {
            Map<String, TensorEntry> entries = new HashMap<>();
            for (Path file : new TreeSet<>(fileOf.values())) {
                SafetensorsFile f = SafetensorsFile.open(file);
                open.put(file, f);
                entries.putAll(f.entries());
            }
            checkLayout(dir.toString(), config, entries, name -> String.valueOf(fileOf.get(name)));
            for (String name : layout.keySet()) {
                Path file = fileOf.get(name);
                if (file == null) {
                    throw new InvalidModelException(dir + ": tensor '" + name + "' is in a weights file but not in "
                            + SafetensorsWriter.INDEX_FILE);
                }
                NDArray a = open.get(file).read(manager, name, type);
                a.setName(name);
                params.put(name, a);
            }
            return params;
        } catch (RuntimeException e) {
            params.values().forEach(NDArray::close);
            throw e;
        } finally {
            open.values().forEach(SafetensorsFile::close);
        }
    }

    /**
     * Checks that the tensors ({@code entries}, from every weights file's header) are exactly what the config implies,
     * shapes included; {@code fileOf} names the file holding a tensor in errors. Loading runs it, and so does the run's
     * input check, from headers alone, before any GPU work.
     */
    public static void checkLayout(
            String dir, ModelConfig config, Map<String, TensorEntry> entries, Function<String, String> fileOf) {
        Map<String, long[]> layout = ParameterLayout.of(config);
        for (String name : entries.keySet()) {
            if (!layout.containsKey(name) && !ParameterLayout.ignorable(name, config)) {
                throw new InvalidModelException(fileOf.apply(name) + ": tensor '" + name + "' is not part of a "
                        + config.architecture() + " with this config.json");
            }
        }
        for (Map.Entry<String, long[]> e : layout.entrySet()) {
            TensorEntry entry = entries.get(e.getKey());
            if (entry == null) {
                throw new InvalidModelException(dir + ": missing tensor '" + e.getKey() + "'");
            }
            if (!Arrays.equals(entry.shape(), e.getValue())) {
                throw new InvalidModelException(fileOf.apply(e.getKey()) + ": tensor '" + e.getKey() + "' has shape "
                        + Arrays.toString(entry.shape()) + " but config.json implies "
                        + Arrays.toString(e.getValue()));
            }
        }
    }

    /** Which file holds each tensor: from the index when sharded, else from the single file's header. */
    static Map<String, Path> tensorFiles(Path dir) {
        Path index = dir.resolve(SafetensorsWriter.INDEX_FILE);
        Path single = dir.resolve(SafetensorsWriter.SINGLE_FILE);
        Map<String, Path> out = new LinkedHashMap<>();
        if (Files.isRegularFile(index)) {
            JsonNode map;
            try {
                map = JSON.readTree(index.toFile()).path("weight_map");
            } catch (IOException e) {
                throw new InvalidModelException(index + ": not valid JSON");
            }
            if (!map.isObject() || map.isEmpty()) {
                throw new InvalidModelException(index + ": no weight_map");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                Path file = dir.resolve(e.getValue().asText()).normalize();
                if (!file.getParent().equals(dir.normalize()) || !Files.isRegularFile(file)) {
                    throw new InvalidModelException(index + ": shard '"
                            + e.getValue().asText() + "' for tensor '" + e.getKey() + "' is not a file in " + dir);
                }
                out.put(e.getKey(), file);
            }
            return out;
        }
        if (Files.isRegularFile(single)) {
            try (SafetensorsFile f = SafetensorsFile.open(single)) {
                for (String name : f.entries().keySet()) {
                    out.put(name, single);
                }
            }
            return out;
        }
        throw new InvalidModelException(dir + ": no model.safetensors or model.safetensors.index.json");
    }

    public static List<String> names(Map<String, NDArray> params) {
        return List.copyOf(params.keySet());
    }
}
