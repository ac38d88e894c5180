package dev.tpo.artifacts;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Sha256Test {
    private static final String EMPTY = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    private static final String ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

    @Test
    void knownVectorsAgreeForBytesFilesAndStreams(@TempDir Path dir) throws IOException {
        byte[] abc = "abc".getBytes(StandardCharsets.US_ASCII);

        assertEquals(EMPTY, Sha256.hex(new byte[0]));
        assertEquals(ABC, Sha256.hex(abc));
        assertEquals(ABC, Sha256.hex(Files.write(dir.resolve("abc"), abc)));
        assertEquals(new ContentDigest(ABC, 3), Sha256.of(new ByteArrayInputStream(abc)));
    }

    @Test
    void listingDigestHashesSortedTabSeparatedLines() {
        FolderEntry b = new FolderEntry("sub/b.bin", ABC, 3);
        FolderEntry a = new FolderEntry("a.json", EMPTY, 0);
        String lines = "a.json\t" + EMPTY + "\t0\n" + "sub/b.bin\t" + ABC + "\t3\n";

        assertEquals(Sha256.hex(lines.getBytes(StandardCharsets.UTF_8)), Sha256.ofListing(List.of(b, a)));
        assertEquals(Sha256.ofListing(List.of(a, b)), Sha256.ofListing(List.of(b, a)));
        assertEquals(EMPTY, Sha256.ofListing(List.of()));
    }
}
