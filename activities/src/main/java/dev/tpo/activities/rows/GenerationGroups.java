package dev.tpo.activities.rows;

import dev.tpo.activities.StepServices;
import dev.tpo.api.ArtifactRef;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Generation rows of some shards, grouped by prompt (first-seen order) and sorted by sample index. */
public final class GenerationGroups {
    private GenerationGroups() {}

    public static Map<String, List<GenerationRow>> read(StepServices services, List<ArtifactRef> generations) {
        Map<String, List<GenerationRow>> byPrompt = new LinkedHashMap<>();
        for (ArtifactRef ref : generations) {
            for (GenerationRow row :
                    services.json().readJsonl(services.runStores().all().read(ref), GenerationRow.class)) {
                byPrompt.computeIfAbsent(row.promptId(), id -> new ArrayList<>())
                        .add(row);
            }
        }
        byPrompt.values().forEach(rows -> rows.sort(Comparator.comparingInt(GenerationRow::sampleIndex)));
        return byPrompt;
    }
}
