package dev.tpo.activities.storage;

import dev.tpo.api.ArtifactRef;
import dev.tpo.artifacts.ArtifactStore;
import dev.tpo.train.Checkpoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Training checkpoints in the artifact store under {@code {trainPrefix}/checkpoints/checkpoint-N/}, so a retry on
 * another worker resumes where the last attempt got to. Each stored checkpoint carries the metrics log up to its
 * step, so the resumed run's log is the whole run's.
 */
public final class CheckpointStore {
    public static final String METRICS_COPY = "trainer_metrics.jsonl";
    private static final Pattern STEP = Pattern.compile("/checkpoints/" + Checkpoint.PREFIX + "(\\d+)/");
    private final ArtifactStore store;
    private final String prefix;

    public CheckpointStore(ArtifactStore store, String trainPrefix) {
        this.store = store;
        this.prefix = trainPrefix + "/checkpoints";
    }

    public ArtifactRef upload(Path checkpoint, Path metricsLog) {
        try {
            if (Files.isRegularFile(metricsLog)) {
                Files.copy(metricsLog, checkpoint.resolve(METRICS_COPY), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy the metrics log into " + checkpoint, e);
        }
        return store.putFolder(prefix + "/" + checkpoint.getFileName(), checkpoint);
    }

    /**
     * Every checkpoint whose listing is stored, highest step first: when the newest turns out corrupt (its files no
     * longer match its listing), a retry falls back to the one before it.
     */
    public List<ArtifactRef> newestFirst() {
        List<Integer> steps = store.list(prefix).stream()
                .map(k -> STEP.matcher("/" + k))
                .filter(Matcher::find)
                .map(m -> Integer.parseInt(m.group(1)))
                .distinct()
                .sorted(Comparator.reverseOrder())
                .toList();
        List<ArtifactRef> complete = new ArrayList<>();
        for (int step : steps) {
            store.findFolder(prefix + "/" + Checkpoint.PREFIX + step).ifPresent(complete::add);
        }
        return complete;
    }

    public static int stepOf(ArtifactRef checkpoint) {
        Matcher m = STEP.matcher(checkpoint.uri());
        if (!m.find()) {
            throw new IllegalArgumentException("not a checkpoint folder: " + checkpoint.uri());
        }
        return Integer.parseInt(m.group(1));
    }
}
