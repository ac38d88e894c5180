package dev.tpo.method.judge;

import dev.tpo.model.CausalLm;
import dev.tpo.model.generate.Generation;
import dev.tpo.model.generate.Generator;
import dev.tpo.model.generate.SamplingParams;
import dev.tpo.model.tokenizer.ChatMessage;
import dev.tpo.model.tokenizer.ModelTokenizer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Judge prompts answered by the local engine: each chat is rendered with the model's own chat template (with the
 * generation prompt) and decoded greedily, many chats per batch. Greedy decoding of left-padded batches gives each
 * chat the answer it would get alone, so verdicts do not depend on how chats were grouped. The model and the
 * tokenizer stay the caller's: closing this backend closes neither.
 */
public final class LocalModelBackend implements JudgeBackend {
    public static final int DEFAULT_MAX_ROWS = 16;

    private final CausalLm model;
    private final ModelTokenizer tokenizer;
    private final int maxNewTokens;
    private final int maxRows;

    public LocalModelBackend(CausalLm model, ModelTokenizer tokenizer, int maxNewTokens) {
        this(model, tokenizer, maxNewTokens, DEFAULT_MAX_ROWS);
    }

    /** @param maxRows most chats decoded together (bounds the KV cache) */
    public LocalModelBackend(CausalLm model, ModelTokenizer tokenizer, int maxNewTokens, int maxRows) {
        if (model.config().isClassifier()) {
            throw new IllegalArgumentException(
                    "a judge backend needs a causal LM, got " + model.config().architecture());
        }
        if (maxNewTokens < 1) {
            throw new IllegalArgumentException("max new tokens must be >= 1, got " + maxNewTokens);
        }
        if (maxRows < 1) {
            throw new IllegalArgumentException("max rows must be >= 1, got " + maxRows);
        }
        this.model = model;
        this.tokenizer = tokenizer;
        this.maxNewTokens = maxNewTokens;
        this.maxRows = maxRows;
    }

    @Override
    public List<String> complete(List<List<ChatMessage>> chats) {
        if (chats.isEmpty()) {
            return List.of();
        }
        int maxPositions = model.config().maxPositionEmbeddings();
        List<int[]> prompts = new ArrayList<>(chats.size());
        for (int i = 0; i < chats.size(); i++) {
            long[] ids = tokenizer.encodeChat(chats.get(i), true);
            if (ids.length + maxNewTokens > maxPositions) {
                throw new JudgeException(
                        "judge chat " + (i + 1) + " has " + ids.length + " tokens; with " + maxNewTokens
                                + " new tokens it exceeds the model's " + maxPositions + " positions",
                        false);
            }
            int[] asInt = new int[ids.length];
            for (int j = 0; j < ids.length; j++) {
                asInt[j] = Math.toIntExact(ids[j]);
            }
            prompts.add(asInt);
        }
        Set<Integer> eos = new LinkedHashSet<>();
        for (long id : tokenizer.eosTokenIds()) {
            eos.add(Math.toIntExact(id));
        }
        List<Generation> generations =
                new Generator(model, null, maxRows).generate(prompts, SamplingParams.greedy(maxNewTokens, eos));
        List<String> answers = new ArrayList<>(generations.size());
        for (Generation g : generations) {
            long[] tokens = new long[g.tokens().length];
            for (int j = 0; j < tokens.length; j++) {
                tokens[j] = g.tokens()[j];
            }
            answers.add(tokenizer.decode(tokens, true));
        }
        return answers;
    }

    @Override
    public void close() {
        // the model and tokenizer belong to the caller
    }
}
