package dev.tpo.workers.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Folder chores of the demo's seed caches. */
final class DemoFiles {
    private DemoFiles() {}

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** A cached seed needs only its model files: training's checkpoint-N folders (AdamW moments) go. */
    static void deleteCheckpoints(Path trainingOutput) throws IOException {
        try (Stream<Path> entries = Files.list(trainingOutput)) {
            for (Path c : entries.filter(p -> p.getFileName().toString().startsWith("checkpoint-"))
                    .toList()) {
                deleteTree(c);
            }
        }
    }
}
