package dev.tpo.artifacts;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;

/** Lowercase hex SHA-256 of bytes, files, streams and folder listings. */
public final class Sha256 {
    private static final int BUFFER_BYTES = 1 << 16;

    private Sha256() {}

    public static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            // Every Java platform must provide SHA-256, so this is a broken runtime, not a recoverable case.
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }

    public static String hex(byte[] data) {
        return toHex(newDigest().digest(data));
    }

    public static String hex(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return of(in).sha256();
        }
    }

    /** Reads the stream to its end (without closing it). */
    public static ContentDigest of(InputStream in) throws IOException {
        MessageDigest digest = newDigest();
        byte[] buffer = new byte[BUFFER_BYTES];
        long size = 0;
        int read;
        while ((read = in.read(buffer)) != -1) {
            digest.update(buffer, 0, read);
            size += read;
        }
        return new ContentDigest(toHex(digest.digest()), size);
    }

    public static String toHex(byte[] digestBytes) {
        return HexFormat.of().formatHex(digestBytes);
    }

    /**
     * The digest of a folder: SHA-256 of its listing lines {@code relpath\tsha256\tsize\n}, sorted by path, in UTF-8.
     * Sorting here, not at the caller, is what makes the digest independent of the order files were written or walked.
     */
    public static String ofListing(Collection<FolderEntry> entries) {
        List<FolderEntry> sorted =
                entries.stream().sorted(Comparator.comparing(FolderEntry::path)).toList();
        StringBuilder lines = new StringBuilder();
        for (FolderEntry entry : sorted) {
            lines.append(entry.path())
                    .append('\t')
                    .append(entry.sha256())
                    .append('\t')
                    .append(entry.size())
                    .append('\n');
        }
        return hex(lines.toString().getBytes(StandardCharsets.UTF_8));
    }
}
