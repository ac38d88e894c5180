package dev.tpo.model.weights;

import ai.djl.ndarray.NDArray;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes named tensors as Hugging Face safetensors: one {@code model.safetensors}, or shards of at most
 * {@code maxShardBytes} with {@code model.safetensors.index.json}, exactly as {@code save_pretrained} lays them out.
 * Each file is written to a temporary name and moved into place, so a crash never leaves a half-written file
 * under the final name.
 */
public final class SafetensorsWriter {
    public static final String SINGLE_FILE = "model.safetensors";
    public static final String INDEX_FILE = "model.safetensors.index.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final long maxShardBytes;

    public SafetensorsWriter(long maxShardBytes) {
        this.maxShardBytes = maxShardBytes;
    }

    /** Writes {@code tensors} (sorted by name) into {@code dir}; returns the files written. */
    public List<Path> write(Path dir, Map<String, NDArray> tensors) throws IOException {
        Map<String, RawTensor> raw = new TreeMap<>();
        for (Map.Entry<String, NDArray> e : tensors.entrySet()) {
            raw.put(e.getKey(), RawTensor.of(e.getValue()));
        }
        return writeRaw(dir, raw);
    }

    /** Writes tensors given as bytes (any safetensors dtype the reader supports). */
    public List<Path> writeRaw(Path dir, Map<String, RawTensor> tensors) throws IOException {
        Files.createDirectories(dir);
        List<Map<String, RawTensor>> shards = new ArrayList<>();
        Map<String, RawTensor> current = new TreeMap<>();
        long currentBytes = 0;
        for (Map.Entry<String, RawTensor> e : new TreeMap<>(tensors).entrySet()) {
            long bytes = e.getValue().byteSize();
            if (!current.isEmpty() && currentBytes + bytes > maxShardBytes) {
                shards.add(current);
                current = new TreeMap<>();
                currentBytes = 0;
            }
            current.put(e.getKey(), e.getValue());
            currentBytes += bytes;
        }
        shards.add(current);
        List<Path> files = new ArrayList<>();
        if (shards.size() == 1) {
            files.add(writeFile(dir.resolve(SINGLE_FILE), shards.get(0)));
            Files.deleteIfExists(dir.resolve(INDEX_FILE));
            return files;
        }
        ObjectNode index = JSON.createObjectNode();
        long total = 0;
        ObjectNode weightMap = JSON.createObjectNode();
        for (int i = 0; i < shards.size(); i++) {
            String name = String.format("model-%05d-of-%05d.safetensors", i + 1, shards.size());
            files.add(writeFile(dir.resolve(name), shards.get(i)));
            for (Map.Entry<String, RawTensor> e : shards.get(i).entrySet()) {
                weightMap.put(e.getKey(), name);
                total += e.getValue().byteSize();
            }
        }
        index.putObject("metadata").put("total_size", total);
        index.set("weight_map", weightMap);
        Path indexPath = dir.resolve(INDEX_FILE);
        Path tmp = indexPath.resolveSibling(INDEX_FILE + ".tmp");
        JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), index);
        Files.move(tmp, indexPath, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Files.deleteIfExists(dir.resolve(SINGLE_FILE));
        files.add(indexPath);
        return files;
    }

    private static Path writeFile(Path target, Map<String, RawTensor> tensors) throws IOException {
        ObjectNode header = JSON.createObjectNode();
        header.putObject("__metadata__").put("format", "pt");
        long offset = 0;
        for (Map.Entry<String, RawTensor> e : tensors.entrySet()) {
            RawTensor a = e.getValue();
            ObjectNode entry = header.putObject(e.getKey());
            entry.put("dtype", a.dtype());
            ArrayNode shape = entry.putArray("shape");
            for (long d : a.shape()) {
                shape.add(d);
            }
            long size = a.byteSize();
            entry.putArray("data_offsets").add(offset).add(offset + size);
            offset += size;
        }
        byte[] headerBytes = JSON.writeValueAsString(header).getBytes(StandardCharsets.UTF_8);
        int padded = (headerBytes.length + 7) / 8 * 8;
        ByteBuffer prefix = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        prefix.putLong(padded).put(headerBytes);
        while (prefix.hasRemaining()) {
            prefix.put((byte) ' ');
        }
        prefix.flip();
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        try (FileChannel out = FileChannel.open(
                tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            writeFully(out, prefix);
            for (RawTensor a : tensors.values()) {
                writeFully(out, a.bytes().duplicate().order(ByteOrder.LITTLE_ENDIAN));
            }
            out.force(true);
        }
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return target;
    }

    private static void writeFully(FileChannel out, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            out.write(buffer);
        }
    }
}
