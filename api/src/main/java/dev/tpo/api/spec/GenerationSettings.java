package dev.tpo.api.spec;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * Sampling of K outputs per training prompt (the paper: K = 8, temperature 0.8, top-p 0.95).
 *
 * @param samplesPerPrompt K (default 8)
 * @param temperature      default 0.8
 * @param topP             default 0.95
 * @param topK             0 = off (default)
 * @param maxNewTokens     per output, thought included (default 1024)
 * @param batchSize        rows decoded together on one device (default 32)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record GenerationSettings(
        Integer samplesPerPrompt,
        Double temperature,
        Double topP,
        Integer topK,
        Integer maxNewTokens,
        Integer batchSize) {
    public GenerationSettings {
        samplesPerPrompt = samplesPerPrompt == null ? 8 : samplesPerPrompt;
        temperature = temperature == null ? 0.8 : temperature;
        topP = topP == null ? 0.95 : topP;
        topK = topK == null ? 0 : topK;
        maxNewTokens = maxNewTokens == null ? 1024 : maxNewTokens;
        batchSize = batchSize == null ? 32 : batchSize;
    }

    public static GenerationSettings defaults() {
        return new GenerationSettings(null, null, null, null, null, null);
    }

    void validate(SpecProblems p, String path) {
        p.range(path + ".samples_per_prompt", samplesPerPrompt, 2, 64);
        if (!(temperature > 0 && temperature <= 5)) {
            p.add(path + ".temperature", temperature + " is not in (0, 5]: TPO needs varied samples");
        }
        if (!(topP > 0 && topP <= 1)) {
            p.add(path + ".top_p", topP + " is not in (0, 1]");
        }
        p.range(path + ".top_k", topK, 0, 1_000_000);
        p.range(path + ".max_new_tokens", maxNewTokens, 1, 65_536);
        p.range(path + ".batch_size", batchSize, 1, 4096);
    }
}
