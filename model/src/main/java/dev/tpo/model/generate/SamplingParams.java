package dev.tpo.model.generate;

import java.util.List;
import java.util.Set;

/**
 * How to sample continuations.
 *
 * @param temperature      0 for greedy decoding
 * @param topP             nucleus mass in (0, 1]; 1 turns it off
 * @param topK             0 turns it off
 * @param eosTokenIds      a sample ends after emitting any of these (the token is kept, as transformers does)
 * @param stopStrings      a sample ends once its decoded text contains one of these (needs a tokenizer)
 * @param samplesPerPrompt K: samples drawn per prompt from one shared prefill
 * @param seed             with the same inputs and settings, the same seed gives the same samples
 */
public record SamplingParams(
        double temperature,
        double topP,
        int topK,
        int maxNewTokens,
        Set<Integer> eosTokenIds,
        List<String> stopStrings,
        int samplesPerPrompt,
        long seed) {

    public SamplingParams {
        if (temperature < 0 || Double.isNaN(temperature)) {
            throw new IllegalArgumentException("temperature must be >= 0, got " + temperature);
        }
        if (!(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("top-p must be in (0, 1], got " + topP);
        }
        if (topK < 0) {
            throw new IllegalArgumentException("top-k must be >= 0, got " + topK);
        }
        if (maxNewTokens < 1) {
            throw new IllegalArgumentException("max new tokens must be >= 1, got " + maxNewTokens);
        }
        if (samplesPerPrompt < 1) {
            throw new IllegalArgumentException("samples per prompt must be >= 1, got " + samplesPerPrompt);
        }
        eosTokenIds = Set.copyOf(eosTokenIds);
        stopStrings = List.copyOf(stopStrings);
    }

    public static SamplingParams greedy(int maxNewTokens, Set<Integer> eos) {
        return new SamplingParams(0, 1, 0, maxNewTokens, eos, List.of(), 1, 0);
    }

    public boolean greedy() {
        return temperature == 0;
    }
}
