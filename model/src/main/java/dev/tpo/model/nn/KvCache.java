package dev.tpo.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Keys and values of every layer, preallocated to the longest sequence a generation can reach so that each decode
 * step writes one slot in place instead of reallocating the cache.
 */
public final class KvCache implements AutoCloseable {
    private final NDManager manager;
    private final NDArray[] keys;
    private final NDArray[] values;
    private final int capacity;
    private int length;

    public KvCache(NDManager parent, int layers, long batch, int kvHeads, int capacity, int headDim, DataType type) {
        this.manager = parent.newSubManager();
        this.capacity = capacity;
        this.keys = new NDArray[layers];
        this.values = new NDArray[layers];
        Shape shape = new Shape(batch, kvHeads, capacity, headDim);
        for (int i = 0; i < layers; i++) {
            keys[i] = manager.zeros(shape, type);
            values[i] = manager.zeros(shape, type);
        }
    }

    /** Tokens already cached (the same for every row: padding is masked, not skipped). */
    public int length() {
        return length;
    }

    public int capacity() {
        return capacity;
    }

    /** Writes a layer's new keys/values [B, kvH, T, D] after the cached ones; returns all of them so far. */
    public NDArray[] append(int layer, NDArray k, NDArray v) {
        int t = (int) k.getShape().get(2);
        if (length + t > capacity) {
            throw new IllegalStateException("KV cache full: " + length + " + " + t + " > " + capacity);
        }
        NDIndex slot = new NDIndex(":, :, {}:{}", length, length + t);
        keys[layer].set(slot, k);
        values[layer].set(slot, v);
        NDIndex upTo = new NDIndex(":, :, :{}", length + t);
        // Views are owned by the caller's per-forward scope, not by the cache, so decode steps do not pile up handles.
        NDManager scope = k.getManager();
        return new NDArray[] {keys[layer].get(scope, upTo), values[layer].get(scope, upTo)};
    }

    /** Called once per forward, after every layer has appended, to advance the write position. */
    public void advance(int tokens) {
        length += tokens;
    }

    /**
     * A cache for {@code copies} samples per row: row i's entries become rows i*copies .. i*copies+copies-1, so K
     * samples of a prompt continue from one shared prefill.
     */
    public KvCache expand(NDManager parent, int copies, int newCapacity) {
        long batch = keys[0].getShape().get(0);
        Shape s = keys[0].getShape();
        KvCache out = new KvCache(
                parent,
                keys.length,
                batch * copies,
                (int) s.get(1),
                newCapacity,
                (int) s.get(3),
                keys[0].getDataType());
        NDIndex filled = new NDIndex(":, :, :{}", length);
        for (int i = 0; i < keys.length; i++) {
            // Each layer's repeated copies are freed once written: kept until the end they would add a whole
            // cache's worth of prompt entries (K copies of every layer) on top of the new cache.
            try (NDManager copy = manager.newSubManager()) {
                out.keys[i].set(filled, keys[i].get(copy, filled).repeat(0, copies));
                out.values[i].set(filled, values[i].get(copy, filled).repeat(0, copies));
            }
        }
        out.length = length;
        return out;
    }

    @Override
    public void close() {
        manager.close();
    }
}
