package dev.tpo.artifacts;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Writes a file so that readers see either the old content or the complete new one, never a prefix: bytes go to a
 * temporary file in the target's own folder (same file system, so rename is atomic), are forced to disk, and are
 * renamed over the target only after the caller has accepted their digest.
 */
final class AtomicFileWriter {
    /** Temporary files start with this; stores skip them when listing, and keys may not use it. */
    static final String TEMP_PREFIX = ".tmp-";

    private static final int BUFFER_BYTES = 1 << 16;

    private AtomicFileWriter() {}

    /**
     * @param acceptDigest throws (for example {@link ArtifactIntegrityException}) to leave the target untouched
     */
    static ContentDigest write(Path target, InputStream source, Consumer<ContentDigest> acceptDigest)
            throws IOException {
        Path absoluteTarget = target.toAbsolutePath();
        Path folder = absoluteTarget.getParent();
        Files.createDirectories(folder);
        Path temp = folder.resolve(TEMP_PREFIX + UUID.randomUUID());
        try {
            ContentDigest digest = copyAndForce(source, temp);
            acceptDigest.accept(digest);
            Files.move(temp, absoluteTarget, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return digest;
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static ContentDigest copyAndForce(InputStream source, Path temp) throws IOException {
        MessageDigest digest = Sha256.newDigest();
        long size = 0;
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            OutputStream out = Channels.newOutputStream(channel);
            byte[] buffer = new byte[BUFFER_BYTES];
            int read;
            while ((read = source.read(buffer)) != -1) {
                digest.update(buffer, 0, read);
                out.write(buffer, 0, read);
                size += read;
            }
            // Without this a crash after the rename could leave a complete-looking name over missing blocks.
            channel.force(true);
        }
        return new ContentDigest(Sha256.toHex(digest.digest()), size);
    }
}
