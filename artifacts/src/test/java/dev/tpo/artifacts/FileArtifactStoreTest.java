package dev.tpo.artifacts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tpo.api.ArtifactRef;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileArtifactStoreTest extends ArtifactStoreContractTest {
    @TempDir
    Path storeRoot;

    @Override
    ArtifactStore newStore() {
        return new FileArtifactStore(storeRoot);
    }

    @Override
    void corruptOneByte(String key) throws IOException {
        Path path = ((FileArtifactStore) store).pathOf(key);
        byte[] bytes = Files.readAllBytes(path);
        bytes[bytes.length / 2] ^= 0x01;
        Files.write(path, bytes);
    }

    @Test
    void urisAreAbsoluteFileUris() {
        ArtifactRef ref = store.putBytes("runs/r1/x.json", new byte[] {1});

        assertEquals("file://" + storeRoot.toAbsolutePath() + "/runs/r1/x.json", ref.uri());
        assertEquals("file://" + storeRoot.toAbsolutePath() + "/runs/r1/m/", store.folderUri("runs/r1/m"));
    }

    @Test
    void aWriteInProgressIsNeitherVisibleNorListed() throws Exception {
        FileArtifactStore files = (FileArtifactStore) store;
        files.putBytes("gen/out.jsonl", "old".getBytes(StandardCharsets.UTF_8));
        CountDownLatch halfWritten = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        InputStream slowSource = new PausingStream(200_000, 100_000, halfWritten, release);
        ExecutorService writer = Executors.newSingleThreadExecutor();
        try {
            Future<ContentDigest> write = writer.submit(
                    () -> AtomicFileWriter.write(files.pathOf("gen/out.jsonl"), slowSource, accepted -> {}));
            assertTrue(halfWritten.await(10, TimeUnit.SECONDS));

            assertEquals("old", Files.readString(files.pathOf("gen/out.jsonl")));
            assertEquals(List.of("gen/out.jsonl"), store.list("gen"));

            release.countDown();
            assertEquals(200_000, write.get(10, TimeUnit.SECONDS).size());
            assertEquals(200_000, Files.size(files.pathOf("gen/out.jsonl")));
        } finally {
            release.countDown();
            writer.shutdownNow();
        }
    }

    @Test
    void aFailedWriteLeavesNeitherTargetNorTemporaryFile() throws IOException {
        FileArtifactStore files = (FileArtifactStore) store;
        InputStream failing = new InputStream() {
            private int served;

            @Override
            public int read() throws IOException {
                if (served++ > 1000) {
                    throw new IOException("connection reset");
                }
                return 'x';
            }
        };

        assertThrows(
                IOException.class,
                () -> AtomicFileWriter.write(files.pathOf("gen/broken.jsonl"), failing, accepted -> {}));

        assertFalse(Files.exists(files.pathOf("gen/broken.jsonl")));
        try (Stream<Path> left = Files.list(files.pathOf("gen"))) {
            assertEquals(List.of(), left.toList());
        }
    }

    @Test
    void findFolderIsEmptyOnceTheListingIsGone() throws IOException {
        Path model = local.resolve("model");
        Files.createDirectories(model);
        Files.writeString(model.resolve("config.json"), "{}");
        store.putFolder("m", model);

        Files.delete(((FileArtifactStore) store).pathOf("m/" + FolderListing.FILE_NAME));

        assertEquals(java.util.Optional.empty(), store.findFolder("m"));
    }

    /** Serves {@code total} bytes, but stops after {@code pauseAt} until released. */
    private static final class PausingStream extends InputStream {
        private final int total;
        private final int pauseAt;
        private final CountDownLatch paused;
        private final CountDownLatch release;
        private int served;

        PausingStream(int total, int pauseAt, CountDownLatch paused, CountDownLatch release) {
            this.total = total;
            this.pauseAt = pauseAt;
            this.paused = paused;
            this.release = release;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) == -1 ? -1 : one[0];
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (served == pauseAt) {
                paused.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted", e);
                }
            }
            if (served >= total) {
                return -1;
            }
            int limit = served < pauseAt ? pauseAt : total;
            int count = Math.min(length, limit - served);
            java.util.Arrays.fill(buffer, offset, offset + count, (byte) 'y');
            served += count;
            return count;
        }
    }
}
