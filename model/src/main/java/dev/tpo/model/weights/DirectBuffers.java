package dev.tpo.model.weights;

import java.lang.reflect.Field;
import java.nio.ByteBuffer;

/**
 * Releases a direct or memory-mapped buffer now instead of whenever the garbage collector gets to it. Weights are
 * read through one mapping (or one widened bf16 copy) per tensor; left to the collector, those pages stay resident
 * beside the parameters copied out of them, so loading a 538 MB model peaked at twice its size (measured:
 * 613 MB of mapped file pages still resident during the first forward). The JDK has no public unmap; this uses
 * {@code sun.misc.Unsafe.invokeCleaner} (module jdk.unsupported), as Lucene and Netty do.
 */
final class DirectBuffers {
    private static final sun.misc.Unsafe UNSAFE = unsafe();

    private DirectBuffers() {}

    /**
     * Frees {@code buffer}'s memory (unmaps it, for a mapping). Nothing may read it afterwards: callers free only
     * buffers whose bytes have been copied into tensors that own their memory.
     */
    static void free(ByteBuffer buffer) {
        if (UNSAFE != null && buffer.isDirect()) {
            UNSAFE.invokeCleaner(buffer);
        }
    }

    private static sun.misc.Unsafe unsafe() {
        try {
            Field f = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
            f.setAccessible(true);
            return (sun.misc.Unsafe) f.get(null);
        } catch (ReflectiveOperationException | RuntimeException e) {
            // Without it the buffers are still freed, only later (by the collector): correctness does not depend on it.
            return null;
        }
    }
}
