package dev.tpo.model.generate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import dev.tpo.model.CausalLm;
import dev.tpo.model.TokenIds;
import dev.tpo.model.nn.AttentionMasks;
import dev.tpo.model.nn.KvCache;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Batched sampling with a KV cache. Prompts are left-padded (position ids follow the attention mask, as in
 * transformers' generate), prefilled once, and each prompt's cache is copied to its K sample rows; every decode step
 * then feeds one token per row.
 */
public final class Generator {
    private final CausalLm model;
    private final Function<int[], String> decoder;
    private final int maxRows;

    /**
     * @param decoder turns tokens into text for stop strings; may be null when no stop strings are used
     * @param maxRows most sample rows (prompts x K) decoded together
     */
    public Generator(CausalLm model, Function<int[], String> decoder, int maxRows) {
        this.model = model;
        this.decoder = decoder;
        this.maxRows = maxRows;
    }

    /** Receives the number of finished prompts and generated tokens after each batch. */
    public interface Progress {
        void update(int promptsDone, long tokensGenerated);
    }

    public List<Generation> generate(List<int[]> prompts, SamplingParams params) {
        return generate(prompts, 0, params, (p, t) -> {});
    }

    /**
     * @param firstPromptIndex global index of {@code prompts.get(0)}: it seeds each sample's generator, so a shard
     *                         generated alone gives the same samples as within the whole set
     */
    public List<Generation> generate(
            List<int[]> prompts, int firstPromptIndex, SamplingParams params, Progress progress) {
        if (!params.stopStrings().isEmpty() && decoder == null) {
            throw new IllegalArgumentException("stop strings need a tokenizer to decode samples");
        }
        for (int i = 0; i < prompts.size(); i++) {
            if (prompts.get(i).length == 0) {
                throw new IllegalArgumentException("prompt " + (firstPromptIndex + i + 1) + " is empty");
            }
            TokenIds.check(prompts.get(i), model.config().vocabSize(), "prompt " + (firstPromptIndex + i + 1));
        }
        int perBatch = Math.max(1, maxRows / params.samplesPerPrompt());
        List<Generation> out = new ArrayList<>();
        long tokens = 0;
        for (int start = 0; start < prompts.size(); start += perBatch) {
            List<int[]> batch = prompts.subList(start, Math.min(prompts.size(), start + perBatch));
            List<Generation> done = generateBatch(batch, firstPromptIndex + start, params);
            for (Generation g : done) {
                tokens += g.tokens().length;
            }
            out.addAll(done);
            progress.update(start + batch.size(), tokens);
        }
        return out;
    }

    /** One batch of prompts, K samples each: prefill, then sample and decode one token per row until all stop. */
    private List<Generation> generateBatch(List<int[]> prompts, int firstIndex, SamplingParams params) {
        int k = params.samplesPerPrompt();
        PaddedPrompts batch = PaddedPrompts.of(prompts);
        Samples samples = new Samples(prompts, firstIndex, k, params.seed());
        Sampler sampler = Sampler.forDevice(params, model.device());
        try (NDManager scope = model.manager().newSubManager()) {
            Decoding decoding = prefill(scope, batch, k, batch.promptLen() + params.maxNewTokens());
            for (int step = 0; step < params.maxNewTokens(); step++) {
                long[] next = sample(sampler, decoding.logits, samples);
                boolean allDone = append(samples, next, params);
                if (allDone || step == params.maxNewTokens() - 1) {
                    break;
                }
                decodeStep(scope, decoding, next, samples.nextPositions());
            }
            decoding.cache.close();
        }
        return samples.generations();
    }

    /**
     * Runs the prompts through the model once, in a scope of its own, and keeps in {@code scope} only what decoding
     * needs: the last position's logits repeated to the K rows of each prompt, the cache copied to them with room
     * for {@code capacity} tokens, and (when any prompt is padded) the decode mask.
     */
    private Decoding prefill(NDManager scope, PaddedPrompts batch, int k, int capacity) {
        int p = batch.count();
        int promptLen = batch.promptLen();
        try (NDManager prefill = scope.newSubManager()) {
            NDArray idArray = prefill.create(batch.ids(), new Shape(p, promptLen));
            NDArray maskArray = prefill.create(batch.keyMask(), new Shape(p, promptLen));
            NDArray additive = AttentionMasks.build(prefill, maskArray, p, 0, promptLen, model.dtype());
            KvCache prompt = model.newCache(prefill, p, promptLen);
            NDArray hidden =
                    model.hidden(idArray, prefill.create(batch.positions(), new Shape(p, promptLen)), additive, prompt);
            NDArray logits = model.logits(hidden.get(new NDIndex(":, -1, :"))).repeat(0, k);
            KvCache cache = prompt.expand(scope, k, capacity);
            // Without padding a single query may see every cached key: no mask at all.
            NDArray decodeMask = batch.padded() ? decodeMask(prefill, batch.keyMask(), promptLen, k, capacity) : null;
            logits.attach(scope);
            if (decodeMask != null) {
                decodeMask.attach(scope);
            }
            return new Decoding(logits, cache, decodeMask);
        }
    }

    /** Draws each row's next token from its own generator (finished rows draw too, so streams stay aligned). */
    private static long[] sample(Sampler sampler, NDArray logits, Samples samples) {
        double[] u = new double[samples.rows()];
        for (int r = 0; r < u.length; r++) {
            u[r] = 1.0 - samples.random[r].nextDouble();
        }
        return sampler.next(logits, u);
    }

    /** Appends each unfinished row's token and checks its stop conditions; true when every row has finished. */
    private boolean append(Samples samples, long[] next, SamplingParams params) {
        boolean allDone = true;
        for (int r = 0; r < samples.rows(); r++) {
            if (samples.finish[r] == null) {
                int token = (int) next[r];
                samples.generated.get(r).add(token);
                samples.finish[r] = finishReason(samples.generated.get(r), token, params);
            }
            allDone &= samples.finish[r] != null;
        }
        return allDone;
    }

    /**
     * Feeds one token per row at {@code positions}, appending to the cache; the new logits replace the old ones in
     * {@code scope}, and everything else the step made is freed with its own scope.
     */
    private void decodeStep(NDManager scope, Decoding decoding, long[] next, long[] positions) {
        int rows = next.length;
        try (NDManager stepScope = scope.newSubManager()) {
            NDArray additive = decoding.decodeMask == null
                    ? null
                    : decoding.decodeMask.get(stepScope, new NDIndex(":, :, :, :{}", decoding.cache.length() + 1));
            NDArray hidden = model.hidden(
                    stepScope.create(next, new Shape(rows, 1)),
                    stepScope.create(positions, new Shape(rows, 1)),
                    additive,
                    decoding.cache);
            NDArray nextLogits = model.logits(hidden.get(new NDIndex(":, -1, :")));
            decoding.logits.close();
            nextLogits.attach(scope);
            decoding.logits = nextLogits;
        }
    }

    /**
     * Which keys every decode step may see, built once for the whole capacity: each row's prompt padding stays
     * masked, every generated slot is visible. A step takes a view of its first past + 1 columns.
     */
    private NDArray decodeMask(NDManager scope, long[] promptKeys, int promptLen, int k, int capacity) {
        int rows = promptKeys.length / promptLen * k;
        long[] keys = new long[rows * capacity];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(promptKeys, (r / k) * promptLen, keys, r * capacity, promptLen);
            Arrays.fill(keys, r * capacity + promptLen, (r + 1) * capacity, 1L);
        }
        return AttentionMasks.build(
                scope, scope.create(keys, new Shape(rows, capacity)), rows, capacity - 1, 1, model.dtype());
    }

    private String finishReason(List<Integer> tokens, int token, SamplingParams params) {
        if (params.eosTokenIds().contains(token)) {
            return "eos";
        }
        if (!params.stopStrings().isEmpty()) {
            String text =
                    decoder.apply(tokens.stream().mapToInt(Integer::intValue).toArray());
            for (String stop : params.stopStrings()) {
                if (text.contains(stop)) {
                    return "stop";
                }
            }
        }
        return null;
    }

    /**
     * Prompts left-padded to the longest, row-major [count, promptLen]: ids, key mask (1 on prompt tokens) and
     * position ids that count from each prompt's first real token.
     */
    private record PaddedPrompts(
            int count, int promptLen, long[] ids, long[] keyMask, long[] positions, boolean padded) {
        static PaddedPrompts of(List<int[]> prompts) {
            int p = prompts.size();
            int promptLen = 0;
            for (int[] prompt : prompts) {
                promptLen = Math.max(promptLen, prompt.length);
            }
            long[] ids = new long[p * promptLen];
            long[] keyMask = new long[p * promptLen];
            long[] positions = new long[p * promptLen];
            boolean padded = false;
            for (int i = 0; i < p; i++) {
                int[] prompt = prompts.get(i);
                int pad = promptLen - prompt.length;
                padded |= pad > 0;
                for (int j = 0; j < prompt.length; j++) {
                    ids[i * promptLen + pad + j] = prompt[j];
                    keyMask[i * promptLen + pad + j] = 1;
                    positions[i * promptLen + pad + j] = j;
                }
            }
            return new PaddedPrompts(p, promptLen, ids, keyMask, positions, padded);
        }
    }

    /** What decoding carries from step to step, all owned by the batch's scope. */
    private static final class Decoding {
        NDArray logits;
        final KvCache cache;
        final NDArray decodeMask;

        Decoding(NDArray logits, KvCache cache, NDArray decodeMask) {
            this.logits = logits;
            this.cache = cache;
            this.decodeMask = decodeMask;
        }
    }

    /**
     * The sample rows of a batch (prompt i's K samples are rows i*K .. i*K+K-1): each row's generator, seeded from
     * its global sample id, its next position, its tokens and why it finished (null while running).
     */
    private static final class Samples {
        final int firstIndex;
        final int k;
        final SplittableRandom[] random;
        final long[] nextPosition;
        final List<List<Integer>> generated;
        final String[] finish;

        Samples(List<int[]> prompts, int firstIndex, int k, long seed) {
            int rows = prompts.size() * k;
            this.firstIndex = firstIndex;
            this.k = k;
            random = new SplittableRandom[rows];
            nextPosition = new long[rows];
            generated = new ArrayList<>(rows);
            finish = new String[rows];
            for (int r = 0; r < rows; r++) {
                long sampleId = (long) (firstIndex + r / k) * k + r % k;
                random[r] = new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (sampleId + 1)));
                nextPosition[r] = prompts.get(r / k).length;
                generated.add(new ArrayList<>());
            }
        }

        int rows() {
            return finish.length;
        }

        /** Each row's position for the token it feeds next, advancing them. */
        long[] nextPositions() {
            long[] pos = new long[rows()];
            for (int r = 0; r < pos.length; r++) {
                pos[r] = nextPosition[r]++;
            }
            return pos;
        }

        List<Generation> generations() {
            List<Generation> out = new ArrayList<>(rows());
            for (int r = 0; r < rows(); r++) {
                int[] tokens =
                        generated.get(r).stream().mapToInt(Integer::intValue).toArray();
                out.add(new Generation(firstIndex + r / k, r % k, tokens, finish[r] == null ? "length" : finish[r]));
            }
            return out;
        }
    }
}
