package dev.tpo.artifacts;

import dev.tpo.api.ArtifactRef;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Artifacts as files under a root folder; URIs are {@code file:///absolute/path}. Keeps no digest beside the files,
 * so {@link #find} hashes the file: cheap next to the work that produced it, and never stale.
 */
public final class FileArtifactStore implements ArtifactStore {
    private final Path root;
    private final ListedFolders folders = new ListedFolders();

    public FileArtifactStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    /** Where {@code key} lives on disk; lets a local caller read a big file in place instead of copying it. */
    public Path pathOf(String key) {
        return root.resolve(ArtifactKeys.requireKey(key, "key"));
    }

    @Override
    public ArtifactRef putFile(String key, Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return write(key, in);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("no such file " + file + " (to store at " + uri(key) + ")", e);
        } catch (IOException e) {
            throw new ArtifactStoreException("could not store " + file + " at " + uri(key), e);
        }
    }

    @Override
    public ArtifactRef putBytes(String key, byte[] data) {
        try {
            return write(key, new ByteArrayInputStream(data));
        } catch (IOException e) {
            throw new ArtifactStoreException("could not write " + uri(key), e);
        }
    }

    private ArtifactRef write(String key, InputStream in) throws IOException {
        ContentDigest digest = AtomicFileWriter.write(pathOf(key), in, accepted -> {});
        return new ArtifactRef(uri(key), digest.sha256(), digest.size());
    }

    @Override
    public ArtifactRef putFolder(String keyPrefix, Path dir) {
        return folders.put(this, keyPrefix, dir);
    }

    @Override
    public Path fetch(ArtifactRef ref, Path dest) {
        Path source = pathOf(fileKeyOf(ref));
        try (InputStream in = Files.newInputStream(source)) {
            AtomicFileWriter.write(
                    dest, in, actual -> ArtifactIntegrityException.check(ref.uri(), ref.sha256(), actual));
            return dest;
        } catch (NoSuchFileException e) {
            throw new ArtifactNotFoundException(ref.uri(), e);
        } catch (IOException e) {
            throw new ArtifactStoreException("could not fetch " + ref.uri() + " to " + dest, e);
        }
    }

    @Override
    public Path fetchFolder(ArtifactRef ref, Path destDir) {
        return folders.fetch(this, ref, destDir);
    }

    @Override
    public byte[] read(ArtifactRef ref) {
        byte[] data = readBytes(fileKeyOf(ref));
        ArtifactIntegrityException.check(ref.uri(), ref.sha256(), new ContentDigest(Sha256.hex(data), data.length));
        return data;
    }

    @Override
    public ArtifactRef fetchKey(String key, Path dest) {
        try (InputStream in = Files.newInputStream(pathOf(key))) {
            ContentDigest digest = AtomicFileWriter.write(dest, in, accepted -> {});
            return new ArtifactRef(uri(key), digest.sha256(), digest.size());
        } catch (NoSuchFileException e) {
            throw new ArtifactNotFoundException(uri(key), e);
        } catch (IOException e) {
            throw new ArtifactStoreException("could not fetch " + uri(key) + " to " + dest, e);
        }
    }

    @Override
    public ArtifactRef fetchFolderKey(String keyPrefix, Path destDir) {
        return folders.fetchAnyFolder(this, keyPrefix, destDir);
    }

    @Override
    public byte[] readBytes(String key) {
        try {
            return Files.readAllBytes(pathOf(key));
        } catch (NoSuchFileException e) {
            throw new ArtifactNotFoundException(uri(key), e);
        } catch (IOException e) {
            throw new ArtifactStoreException("could not read " + uri(key), e);
        }
    }

    @Override
    public byte[] readRange(String key, long offset, int length) {
        try (FileChannel channel = FileChannel.open(pathOf(key))) {
            ByteBuffer buffer = ByteBuffer.allocate((int) Math.max(0, Math.min(length, channel.size() - offset)));
            while (buffer.hasRemaining() && channel.read(buffer, offset + buffer.position()) >= 0) {
                // reads until the range is full; the size above stops it at the end of the file
            }
            return buffer.array();
        } catch (NoSuchFileException e) {
            throw new ArtifactNotFoundException(uri(key), e);
        } catch (IOException e) {
            throw new ArtifactStoreException("could not read " + uri(key), e);
        }
    }

    @Override
    public long sizeOf(String key) {
        try {
            return Files.size(pathOf(key));
        } catch (NoSuchFileException e) {
            throw new ArtifactNotFoundException(uri(key), e);
        } catch (IOException e) {
            throw new ArtifactStoreException("could not read " + uri(key), e);
        }
    }

    @Override
    public Optional<ArtifactRef> find(String key) {
        Path path = pathOf(key);
        if (!Files.isRegularFile(path)) {
            return Optional.empty();
        }
        try (InputStream in = Files.newInputStream(path)) {
            ContentDigest digest = Sha256.of(in);
            return Optional.of(new ArtifactRef(uri(key), digest.sha256(), digest.size()));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new ArtifactStoreException("could not read " + uri(key), e);
        }
    }

    @Override
    public Optional<ArtifactRef> findFolder(String keyPrefix) {
        return folders.find(this, keyPrefix);
    }

    @Override
    public List<String> list(String keyPrefix) {
        Path base = keyPrefix.isEmpty() ? root : pathOf(keyPrefix);
        if (!Files.isDirectory(base)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(base)) {
            return walk.filter(Files::isRegularFile)
                    .filter(path -> !path.getFileName().toString().startsWith(AtomicFileWriter.TEMP_PREFIX))
                    .map(this::keyOfPath)
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new ArtifactStoreException("could not list " + folderUriOrRoot(keyPrefix), e);
        }
    }

    @Override
    public String uri(String key) {
        return fileUri(pathOf(key).toString());
    }

    @Override
    public String folderUri(String keyPrefix) {
        return fileUri(pathOf(keyPrefix) + "/");
    }

    @Override
    public Optional<String> keyOf(String uri) {
        Path path;
        try {
            URI parsed = new URI(uri);
            if (!"file".equals(parsed.getScheme())) {
                return Optional.empty();
            }
            path = Path.of(parsed).toAbsolutePath().normalize();
        } catch (URISyntaxException | IllegalArgumentException e) {
            return Optional.empty();
        }
        if (!path.startsWith(root) || path.equals(root)) {
            return Optional.empty();
        }
        return Optional.of(keyOfPath(path));
    }

    @Override
    public void delete(String keyPrefix) {
        Path base = pathOf(keyPrefix);
        if (!Files.isDirectory(base)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(base)) {
            List<Path> deepestFirst =
                    new ArrayList<>(walk.sorted(Comparator.reverseOrder()).toList());
            for (Path path : deepestFirst) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new ArtifactStoreException("could not delete " + folderUri(keyPrefix), e);
        }
    }

    private String fileKeyOf(ArtifactRef ref) {
        if (ref.isFolder()) {
            throw new IllegalArgumentException("folder reference given where a file was expected: " + ref.uri());
        }
        return keyOf(ref.uri())
                .orElseThrow(() -> new IllegalArgumentException(ref.uri() + " is not under " + rootUri()));
    }

    private String keyOfPath(Path path) {
        List<String> names = new ArrayList<>();
        root.relativize(path).forEach(name -> names.add(name.toString()));
        return String.join("/", names);
    }

    private String folderUriOrRoot(String keyPrefix) {
        return keyPrefix.isEmpty() ? rootUri() : folderUri(keyPrefix);
    }

    private String rootUri() {
        String path = root.toString();
        return fileUri(path.endsWith("/") ? path : path + "/");
    }

    /** Percent-encodes what a URI needs encoded (spaces, '#', '%') and keeps the {@code file:///} form. */
    private static String fileUri(String absolutePath) {
        try {
            return new URI("file", "", absolutePath, null, null).toString();
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("cannot make a file URI of " + absolutePath, e);
        }
    }
}
