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
        return generate(prompts, 0, params, (p, t) -> { });
    }

    /**
     * @param firstPromptIndex global index of {@code prompts.get(0)}: it seeds each sample's generator, so a shard
     *                         generated alone gives the same samples as within the whole set
     */
    public List<Generation> generate(List<int[]> prompts, int firstPromptIndex, SamplingParams params,
                                     Progress progress) {
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

    private List<Generation> generateBatch(List<int[]> prompts, int firstIndex, SamplingParams params) {
        int p = prompts.size();
        int k = params.samplesPerPrompt();
        int rows = p * k;
        int promptLen = 0;
        for (int[] prompt : prompts) {
            promptLen = Math.max(promptLen, prompt.length);
        }
        int capacity = promptLen + params.maxNewTokens();
        long[] ids = new long[p * promptLen];
        long[] keyMask = new long[p * promptLen];
        long[] positions = new long[p * promptLen];
        for (int i = 0; i < p; i++) {
            int[] prompt = prompts.get(i);
            int pad = promptLen - prompt.length;
            for (int j = 0; j < prompt.length; j++) {
                ids[i * promptLen + pad + j] = prompt[j];
                keyMask[i * promptLen + pad + j] = 1;
                positions[i * promptLen + pad + j] = j;
            }
        }
        SplittableRandom[] random = new SplittableRandom[rows];
        long[] nextPosition = new long[rows];
        List<List<Integer>> generated = new ArrayList<>(rows);
        String[] finish = new String[rows];
        for (int r = 0; r < rows; r++) {
            long sampleId = (long) (firstIndex + r / k) * k + r % k;
            random[r] = new SplittableRandom(params.seed() ^ (0x9E3779B97F4A7C15L * (sampleId + 1)));
            nextPosition[r] = prompts.get(r / k).length;
            generated.add(new ArrayList<>());
        }
        boolean padded = false;
        for (int[] prompt : prompts) {
            padded |= prompt.length < promptLen;
        }
        Sampler sampler = Sampler.forDevice(params, model.device());
        try (NDManager scope = model.manager().newSubManager()) {
            NDArray decodeMask;
            NDArray logits;
            KvCache cache;
            try (NDManager prefill = scope.newSubManager()) {
                NDArray idArray = prefill.create(ids, new Shape(p, promptLen));
                NDArray maskArray = prefill.create(keyMask, new Shape(p, promptLen));
                NDArray additive = AttentionMasks.build(prefill, maskArray, p, 0, promptLen, model.dtype());
                KvCache prompt = model.newCache(prefill, p, promptLen);
                NDArray hidden = model.hidden(idArray, prefill.create(positions, new Shape(p, promptLen)),
                        additive, prompt);
                logits = model.logits(hidden.get(new NDIndex(":, -1, :"))).repeat(0, k);
                cache = prompt.expand(scope, k, capacity);
                // Without padding a single query may see every cached key: no mask at all.
                decodeMask = padded ? decodeMask(prefill, keyMask, promptLen, k, capacity) : null;
                logits.attach(scope);
                if (decodeMask != null) {
                    decodeMask.attach(scope);
                }
            }
            for (int step = 0; step < params.maxNewTokens(); step++) {
                double[] u = new double[rows];
                for (int r = 0; r < rows; r++) {
                    u[r] = 1.0 - random[r].nextDouble();
                }
                long[] next = sampler.next(logits, u);
                boolean allDone = true;
                for (int r = 0; r < rows; r++) {
                    if (finish[r] == null) {
                        int token = (int) next[r];
                        generated.get(r).add(token);
                        finish[r] = finishReason(generated.get(r), token, params);
                    }
                    allDone &= finish[r] != null;
                }
                if (allDone || step == params.maxNewTokens() - 1) {
                    break;
                }
                try (NDManager stepScope = scope.newSubManager()) {
                    long[] pos = new long[rows];
                    for (int r = 0; r < rows; r++) {
                        pos[r] = nextPosition[r]++;
                    }
                    NDArray additive = decodeMask == null ? null
                            : decodeMask.get(stepScope, new NDIndex(":, :, :, :{}", cache.length() + 1));
                    NDArray hidden = model.hidden(stepScope.create(next, new Shape(rows, 1)),
                            stepScope.create(pos, new Shape(rows, 1)), additive, cache);
                    NDArray nextLogits = model.logits(hidden.get(new NDIndex(":, -1, :")));
                    logits.close();
                    nextLogits.attach(scope);
                    logits = nextLogits;
                }
            }
            cache.close();
        }
        List<Generation> out = new ArrayList<>(rows);
        for (int r = 0; r < rows; r++) {
            int[] tokens = generated.get(r).stream().mapToInt(Integer::intValue).toArray();
            out.add(new Generation(firstIndex + r / k, r % k, tokens, finish[r] == null ? "length" : finish[r]));
        }
        return out;
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
        return AttentionMasks.build(scope, scope.create(keys, new Shape(rows, capacity)), rows, capacity - 1, 1,
                model.dtype());
    }

    private String finishReason(List<Integer> tokens, int token, SamplingParams params) {
        if (params.eosTokenIds().contains(token)) {
            return "eos";
        }
        if (!params.stopStrings().isEmpty()) {
            String text = decoder.apply(tokens.stream().mapToInt(Integer::intValue).toArray());
            for (String stop : params.stopStrings()) {
                if (text.contains(stop)) {
                    return "stop";
                }
            }
        }
        return null;
    }
}
