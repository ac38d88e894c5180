package dev.tpo.activities.rows;

/**
 * One sample in generations JSONL.
 *
 * @param promptIds     the chat-formatted thought prompt the sample continues
 * @param completionIds the sampled tokens, thought included (the end-of-sequence token kept): what DPO trains on
 * @param responseTokens length of the response part in tokens (0 when malformed), for length control
 */
public record GenerationRow(
        String promptId,
        int sampleIndex,
        String prompt,
        String category,
        String reference,
        int[] promptIds,
        int[] completionIds,
        String output,
        String thought,
        String response,
        boolean malformed,
        String malformedReason,
        int responseTokens,
        String finishReason) {}
