package dev.tpo.activities;

import dev.tpo.activities.heartbeat.GenerateProgress;
import dev.tpo.activities.heartbeat.HeartbeatPump;
import dev.tpo.activities.heartbeat.WorkerDrain;
import dev.tpo.activities.policy.PolicySession;
import dev.tpo.activities.policy.ThoughtPrompts;
import dev.tpo.activities.rows.GenerationRow;
import dev.tpo.activities.rows.ShardPrompt;
import dev.tpo.activities.storage.FinishedOutputs;
import dev.tpo.activities.storage.StepKeys;
import dev.tpo.activities.storage.StoredOutput;
import dev.tpo.api.ArtifactRef;
import dev.tpo.api.activities.GenerateActivity;
import dev.tpo.api.spec.GenerationSettings;
import dev.tpo.api.steps.GenerateInput;
import dev.tpo.api.steps.GenerateOutput;
import dev.tpo.artifacts.ArtifactStore;
import dev.tpo.method.thought.ParsedOutput;
import dev.tpo.method.thought.ThoughtPrompt;
import dev.tpo.model.generate.Generation;
import dev.tpo.model.generate.SamplingParams;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * K samples per prompt of one shard. The shard is cut into chunks of whole generator batches; each finished chunk is
 * stored as a part file and heartbeated, so a retry (on any worker) skips the stored parts and generates the rest.
 * Samples are seeded by the prompt's global index, so the parts of a resumed shard equal an uninterrupted run's.
 */
public final class GenerateStep implements GenerateActivity {
    static final String STEP = "generate";
    private static final Logger LOG = LoggerFactory.getLogger(GenerateStep.class);
    private final StepServices services;

    GenerateStep(StepServices services) {
        this.services = services;
    }

    @Override
    public GenerateOutput generate(GenerateInput input) {
        return StepFailures.translate(STEP, () -> run(input));
    }

    private GenerateOutput run(GenerateInput input) {
        long started = System.nanoTime();
        ArtifactStore store = services.runStores().forRun(input.run());
        List<ArtifactRef> inputs = List.of(input.policy(), input.prompts());
        String prefix = services.keys()
                .stepPrefix(
                        input.run(), input.iteration(), STEP, services.keys().inputKey(inputs, keySettings(input)));
        String finalKey = prefix + "/" + String.format("generations-%03d.jsonl", input.shard());
        FinishedOutputs finishedOutputs = new FinishedOutputs(store, input.run());
        Optional<StoredOutput> finished = finishedOutputs.recorded(STEP, finalKey);
        if (finished.isPresent()) {
            return summarise(finished.get().ref(), finished.get().bytes(), started, true);
        }
        List<ShardPrompt> prompts =
                services.json().readJsonl(services.runStores().all().read(input.prompts()), ShardPrompt.class);
        GenerationSettings settings = input.generation();
        int perChunk = Math.max(1, settings.batchSize() / settings.samplesPerPrompt());
        int chunks = (prompts.size() + perChunk - 1) / perChunk;
        ActivityExecutionContext context = Activity.getExecutionContext();
        Optional<GenerateProgress> before = context.getHeartbeatDetails(GenerateProgress.class);
        before.ifPresent(p ->
                LOG.info("generate shard {}: retry after chunk {} of {}", input.shard(), p.nextChunk(), p.chunks()));
        ThoughtPrompt thought = ThoughtPrompts.of(input.thought());
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        PolicySession session = null;
        long tokens = 0;
        // Alive from the start: loading the model comes before the first chunk.
        try (HeartbeatPump pump = new HeartbeatPump(
                context, services.heartbeatEvery(), before.orElse(new GenerateProgress(0, chunks, 0, 0, 0)))) {
            for (int c = 0; c < chunks; c++) {
                if (services.drain().requested()) {
                    throw WorkerDrain.stopped(
                            STEP, "chunk " + (c + 1) + " of " + chunks + " (the " + c + " before it are stored)");
                }
                String partKey = prefix + "/parts/" + String.format("part-%05d.jsonl", c);
                Optional<StoredOutput> storedPart = finishedOutputs.unrecorded(partKey);
                byte[] part;
                if (storedPart.isPresent()) {
                    part = storedPart.get().bytes();
                } else {
                    if (session == null) {
                        Path dir = services.models().folder(input.policy());
                        session = PolicySession.open(dir, input.compute(), services.clock());
                    }
                    List<ShardPrompt> chunk =
                            prompts.subList(c * perChunk, Math.min(prompts.size(), (c + 1) * perChunk));
                    part = services.json()
                            .jsonl(generateChunk(session, thought, chunk, input, pump, c, chunks, tokens, started));
                    store.putBytes(partKey, part);
                }
                all.writeBytes(part);
                tokens += countTokens(part);
                pump.beat(new GenerateProgress(
                        c + 1,
                        chunks,
                        Math.min(prompts.size(), (c + 1) * perChunk),
                        tokens,
                        tokens / seconds(started)));
            }
        } finally {
            if (session != null) {
                session.close();
            }
        }
        ArtifactRef ref = store.putBytes(finalKey, all.toByteArray());
        services.recorder()
                .record(store, input.run(), ref, STEP, input.iteration(), input.shard(), StepKeys.digests(inputs));
        return summarise(ref, all.toByteArray(), started, false);
    }

    private List<GenerationRow> generateChunk(
            PolicySession session,
            ThoughtPrompt thought,
            List<ShardPrompt> chunk,
            GenerateInput input,
            HeartbeatPump pump,
            int chunkIndex,
            int chunks,
            long tokensBefore,
            long started) {
        GenerationSettings g = input.generation();
        List<int[]> ids = new ArrayList<>();
        for (ShardPrompt p : chunk) {
            ids.add(session.chatPrompt(thought.wrap(p.prompt())));
        }
        SamplingParams params = new SamplingParams(
                g.temperature(),
                g.topP(),
                g.topK(),
                g.maxNewTokens(),
                session.eosTokenIds(),
                List.of(),
                g.samplesPerPrompt(),
                input.seed());
        // Prompts are seeded by their place in the iteration's selection, not in this chunk.
        List<Generation> generations = session.sample(
                ids,
                chunk.get(0).index(),
                params,
                g.batchSize(),
                (done, t) -> pump.update(new GenerateProgress(
                        chunkIndex, chunks, done, tokensBefore + t, (tokensBefore + t) / seconds(started))));
        List<GenerationRow> rows = new ArrayList<>();
        for (Generation gen : generations) {
            ShardPrompt p = chunk.get(gen.promptIndex() - chunk.get(0).index());
            String output = session.decode(gen.tokens());
            ParsedOutput parsed = thought.parse(output);
            int responseTokens = parsed.malformed() ? 0 : session.countTokens(parsed.response());
            rows.add(new GenerationRow(
                    p.id(),
                    gen.sampleIndex(),
                    p.prompt(),
                    p.category(),
                    p.reference(),
                    ids.get(gen.promptIndex() - chunk.get(0).index()),
                    gen.tokens(),
                    output,
                    parsed.thought(),
                    parsed.response(),
                    parsed.malformed(),
                    parsed.malformedReason(),
                    responseTokens,
                    gen.finishReason()));
        }
        return rows;
    }

    private long countTokens(byte[] part) {
        return services.json().readJsonl(part, GenerationRow.class).stream()
                .mapToLong(r -> r.completionIds().length)
                .sum();
    }

    private GenerateOutput summarise(ArtifactRef ref, byte[] data, long started, boolean reused) {
        List<GenerationRow> rows = services.json().readJsonl(data, GenerationRow.class);
        int prompts =
                (int) rows.stream().map(GenerationRow::promptId).distinct().count();
        int malformed = (int) rows.stream().filter(GenerationRow::malformed).count();
        long tokens = rows.stream().mapToLong(r -> r.completionIds().length).sum();
        return new GenerateOutput(ref, prompts, rows.size(), malformed, tokens, seconds(started), reused);
    }

    private static Map<String, Object> keySettings(GenerateInput input) {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("thought", input.thought());
        settings.put("generation", input.generation());
        settings.put("seed", input.seed());
        settings.put("shard", input.shard());
        return settings;
    }

    private static double seconds(long startedNanos) {
        return Math.max(1e-9, (System.nanoTime() - startedNanos) / 1e9);
    }
}
