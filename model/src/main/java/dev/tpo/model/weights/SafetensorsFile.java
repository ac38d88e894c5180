package dev.tpo.model.weights;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tpo.model.InvalidModelException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A safetensors file opened for reading: the header is parsed and checked against the file's size up front, and
 * each tensor is read through a memory map of its own byte range, so loading never holds more than one tensor's
 * bytes beyond the resulting parameters.
 */
public final class SafetensorsFile implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MAX_HEADER = 100L << 20;

    private final Path path;
    private final FileChannel channel;
    private final Map<String, TensorEntry> entries;

    private SafetensorsFile(Path path, FileChannel channel, Map<String, TensorEntry> entries) {
        this.path = path;
        this.channel = channel;
        this.entries = entries;
    }

    public static SafetensorsFile open(Path path) {
        FileChannel channel;
        try {
            channel = FileChannel.open(path, StandardOpenOption.READ);
        } catch (IOException e) {
            throw new InvalidModelException(path + ": cannot open: " + e.getMessage(), e);
        }
        try {
            return new SafetensorsFile(path, channel, readHeader(path, channel));
        } catch (RuntimeException | IOException e) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // the header error is the one worth reporting
            }
            if (e instanceof InvalidModelException ime) {
                throw ime;
            }
            throw new InvalidModelException(path + ": unreadable safetensors file: " + e.getMessage(), e);
        }
    }

    /** Reads {@code length} bytes at {@code offset} of a file that may live elsewhere (a store, a bucket). */
    @FunctionalInterface
    public interface ByteRanges {
        byte[] read(long offset, int length) throws IOException;
    }

    private static Map<String, TensorEntry> readHeader(Path path, FileChannel channel) throws IOException {
        return header(path.toString(), channel.size(), (offset, length) -> {
            ByteBuffer buffer = ByteBuffer.allocate(length);
            readFully(channel, buffer, offset);
            return buffer.array();
        });
    }

    /**
     * The tensors of a safetensors file of {@code fileSize} bytes, from its header alone: checked so that a
     * truncated or corrupt file is rejected by reading a few kilobytes instead of the weights. {@code where} names
     * the file in errors.
     */
    public static Map<String, TensorEntry> header(String where, long fileSize, ByteRanges bytes) throws IOException {
        if (fileSize < 8) {
            throw new InvalidModelException(where + ": truncated safetensors file (" + fileSize + " bytes)");
        }
        long headerLength =
                ByteBuffer.wrap(bytes.read(0, 8)).order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (headerLength <= 0 || headerLength > MAX_HEADER || 8 + headerLength > fileSize) {
            throw new InvalidModelException(where + ": corrupt or truncated safetensors header (header length "
                    + headerLength + ", file size " + fileSize + ")");
        }
        JsonNode root;
        try {
            root = JSON.readTree(bytes.read(8, (int) headerLength));
        } catch (IOException e) {
            throw new InvalidModelException(where + ": safetensors header is not valid JSON");
        }
        long dataStart = 8 + headerLength;
        Map<String, TensorEntry> entries = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (field.getKey().equals("__metadata__")) {
                continue;
            }
            entries.put(field.getKey(), entry(where, field.getKey(), field.getValue(), dataStart, fileSize));
        }
        return entries;
    }

    private static TensorEntry entry(String path, String name, JsonNode node, long dataStart, long fileSize) {
        String dtype = node.path("dtype").asText();
        if (SafetensorsDtype.toDjl(dtype) == null) {
            throw new InvalidModelException(path + ": tensor '" + name + "' has unsupported dtype '" + dtype
                    + "' (supported: F32, F16, BF16, I64, I32)");
        }
        JsonNode shapeNode = node.path("shape");
        long[] shape = new long[shapeNode.size()];
        long count = 1;
        for (int i = 0; i < shape.length; i++) {
            shape[i] = shapeNode.get(i).asLong();
            count *= shape[i];
        }
        JsonNode offsets = node.path("data_offsets");
        if (offsets.size() != 2) {
            throw new InvalidModelException(path + ": tensor '" + name + "' has no data_offsets");
        }
        long start = dataStart + offsets.get(0).asLong();
        long end = dataStart + offsets.get(1).asLong();
        long expected = count * SafetensorsDtype.toDjl(dtype).getNumOfBytes();
        if (end - start != expected) {
            throw new InvalidModelException(path + ": tensor '" + name + "' holds " + (end - start)
                    + " bytes but its shape and dtype need " + expected);
        }
        if (end > fileSize) {
            throw new InvalidModelException(
                    path + ": truncated: tensor '" + name + "' ends at byte " + end + " but the file has " + fileSize);
        }
        return new TensorEntry(name, dtype, shape, start, end);
    }

    private static void readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        long pos = position;
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, pos);
            if (n < 0) {
                throw new IOException("unexpected end of file");
            }
            pos += n;
        }
    }

    public Path path() {
        return path;
    }

    public Map<String, TensorEntry> entries() {
        return entries;
    }

    /**
     * Reads one tensor into a new array of {@code manager}, converted to {@code type}. The array owns its memory
     * (never the file's mapping), so it can be trained in place.
     */
    public NDArray read(NDManager manager, String name, ai.djl.ndarray.types.DataType type) {
        TensorEntry entry = entries.get(name);
        if (entry == null) {
            throw new InvalidModelException(path + ": no tensor named '" + name + "'");
        }
        ByteBuffer bytes;
        try {
            bytes = channel.map(FileChannel.MapMode.READ_ONLY, entry.start(), entry.byteSize());
        } catch (IOException e) {
            throw new InvalidModelException(path + ": cannot read tensor '" + name + "': " + e.getMessage(), e);
        }
        bytes.order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer widened = entry.dtype().equals("BF16") ? Bfloat16.toFloat32(bytes) : null;
        try {
            NDArray owned;
            try (NDManager scratch = manager.newSubManager()) {
                // A direct ByteBuffer becomes a tensor over the same memory (no copy).
                NDArray raw = widened != null
                        ? scratch.create(widened, entry.djlShape(), ai.djl.ndarray.types.DataType.FLOAT32)
                        : scratch.create(bytes, entry.djlShape(), entry.djlType());
                // PyTorch's to() returns the same tensor when nothing changes, which would leave the parameter
                // pointing into the file mapping: copy explicitly so the parameter owns its memory.
                owned = raw.getDataType() == type ? raw.duplicate() : raw.toType(type, false);
                owned.attach(manager);
            }
            return owned;
        } finally {
            // The tensors over these buffers are closed: release their pages now rather than at some later GC.
            if (widened != null) {
                DirectBuffers.free(widened);
            }
            DirectBuffers.free(bytes);
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new InvalidModelException(path + ": close failed: " + e.getMessage(), e);
        }
    }
}
