package dev.tpo.activities.policy;

import dev.tpo.api.spec.ComputeSettings;
import dev.tpo.model.CausalLm;
import dev.tpo.model.Compute;
import dev.tpo.model.ModelFolder;
import dev.tpo.model.TokenIds;
import dev.tpo.model.generate.Generation;
import dev.tpo.model.generate.Generator;
import dev.tpo.model.generate.SamplingParams;
import dev.tpo.model.tokenizer.ChatMessage;
import dev.tpo.model.tokenizer.ModelTokenizer;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** A loaded policy and its tokenizer: chat prompts in, sampled completions (ids and text) out. */
public final class PolicySession implements AutoCloseable {
    private final CausalLm model;
    private final ModelTokenizer tokenizer;

    private PolicySession(CausalLm model, ModelTokenizer tokenizer) {
        this.model = model;
        this.tokenizer = tokenizer;
    }

    public static PolicySession open(Path modelDir, ComputeSettings compute, Clock clock) {
        ModelTokenizer tokenizer = ModelTokenizer.open(modelDir, clock);
        try {
            CausalLm model = ModelFolder.load(modelDir, Compute.resolve(compute.device(), compute.dtype()));
            return new PolicySession(model, tokenizer);
        } catch (RuntimeException e) {
            tokenizer.close();
            throw e;
        }
    }

    /** The user turn through the model's chat template, ending where the assistant's answer starts. */
    public int[] chatPrompt(String userMessage) {
        return TokenIds.toInts(tokenizer.encodeChat(List.of(ChatMessage.user(userMessage)), true));
    }

    public Set<Integer> eosTokenIds() {
        Set<Integer> ids = new LinkedHashSet<>();
        for (long id : tokenizer.eosTokenIds()) {
            ids.add(Math.toIntExact(id));
        }
        return ids;
    }

    /**
     * @param firstPromptIndex the global index of the first prompt, which seeds its samples, so a chunk generated
     *                         on its own (after a resume) samples exactly what it would have in one pass
     */
    public List<Generation> sample(
            List<int[]> prompts,
            int firstPromptIndex,
            SamplingParams params,
            int maxRows,
            Generator.Progress progress) {
        return new Generator(model, this::decode, maxRows).generate(prompts, firstPromptIndex, params, progress);
    }

    public String decode(int[] tokens) {
        long[] ids = new long[tokens.length];
        for (int i = 0; i < tokens.length; i++) {
            ids[i] = tokens[i];
        }
        return tokenizer.decode(ids, true);
    }

    public int countTokens(String text) {
        return text.isEmpty() ? 0 : tokenizer.encode(text, false).length;
    }

    @Override
    public void close() {
        try {
            model.close();
        } finally {
            tokenizer.close();
        }
    }
}
