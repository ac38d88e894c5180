package dev.tpo.activities;

import dev.tpo.activities.heartbeat.HeartbeatPump;
import dev.tpo.activities.rows.ShardPrompt;
import dev.tpo.activities.storage.ScratchDir;
import dev.tpo.api.ArtifactRef;
import dev.tpo.api.activities.SelectPromptsActivity;
import dev.tpo.api.steps.PromptSelection;
import dev.tpo.api.steps.SelectPromptsInput;
import dev.tpo.artifacts.ArtifactStore;
import dev.tpo.method.prompts.PromptItem;
import dev.tpo.method.prompts.PromptSet;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * An iteration's fresh prompts: one seeded permutation of the train set, consumed in order, iteration k taking the
 * k-th run of promptsPerIteration positions (starting again at the top when the set runs out). Writes prompts.jsonl
 * (prompt set format) and contiguous shards whose lines carry each prompt's index in the selection.
 */
public final class SelectPromptsStep implements SelectPromptsActivity {
    static final String STEP = "select";
    private final StepServices services;

    SelectPromptsStep(StepServices services) {
        this.services = services;
    }

    @Override
    public PromptSelection selectPrompts(SelectPromptsInput input) {
        return StepFailures.translate(
                STEP, () -> HeartbeatPump.keepAlive(services.heartbeatEvery(), STEP, () -> run(input)));
    }

    private PromptSelection run(SelectPromptsInput input) {
        ArtifactStore store = services.runStores().forRun(input.run());
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("iteration", input.iteration());
        settings.put("prompts_per_iteration", input.promptsPerIteration());
        settings.put("seed", input.seed());
        settings.put("shard_count", input.shardCount());
        String prefix = services.keys()
                .stepPrefix(
                        input.run(),
                        input.iteration(),
                        STEP,
                        services.keys().inputKey(List.of(input.trainPrompts()), settings));
        String selectionKey = prefix + "/selection.json";
        if (store.find(selectionKey).isPresent()) {
            return services.json().read(store.readBytes(selectionKey), PromptSelection.class);
        }
        List<PromptItem> train;
        try (ScratchDir scratch = services.scratch(STEP)) {
            train = PromptSet.read(
                    services.runStores().all().fetch(input.trainPrompts(), scratch.resolve("train.jsonl")));
        }
        if (train.isEmpty()) {
            throw StepFailures.invalidInput(
                    "train prompts " + input.trainPrompts().uri() + " are empty");
        }
        int n = train.size();
        // A prompt appears at most once per iteration, so an iteration asking for more than the set takes it all.
        int count = Math.min(input.promptsPerIteration(), n);
        List<Integer> order = permutation(n, input.seed());
        long start = (long) (input.iteration() - 1) * count;
        boolean wrapped = start + count > n;
        List<PromptItem> selected = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            selected.add(train.get(order.get((int) ((start + i) % n))));
        }
        List<String> digests = List.of(input.trainPrompts().sha256());
        ArtifactRef promptsRef =
                store.putBytes(prefix + "/prompts.jsonl", services.json().jsonl(selected));
        services.recorder().record(store, input.run(), promptsRef, STEP, input.iteration(), null, digests);
        List<ArtifactRef> shards = new ArrayList<>();
        int shardCount = Math.max(1, Math.min(input.shardCount(), count));
        for (int s = 0; s < shardCount; s++) {
            int from = PromptSelection.shardStart(count, shardCount, s);
            int to = PromptSelection.shardStart(count, shardCount, s + 1);
            List<ShardPrompt> rows = IntStream.range(from, to)
                    .mapToObj(i -> {
                        PromptItem p = selected.get(i);
                        return new ShardPrompt(i, p.id(), p.prompt(), p.category(), p.reference());
                    })
                    .toList();
            ArtifactRef shard = store.putBytes(
                    prefix + String.format("/shards/shard-%03d.jsonl", s),
                    services.json().jsonl(rows));
            services.recorder().record(store, input.run(), shard, STEP, input.iteration(), s, digests);
            shards.add(shard);
        }
        PromptSelection selection = new PromptSelection(promptsRef, shards, count, wrapped);
        store.putBytes(selectionKey, services.json().bytes(selection));
        return selection;
    }

    /** java.util.Random is specified bit for bit, so every JVM draws the same permutation from a seed. */
    static List<Integer> permutation(int n, long seed) {
        List<Integer> order = new ArrayList<>(IntStream.range(0, n).boxed().toList());
        Collections.shuffle(order, new Random(seed));
        return order;
    }
}
