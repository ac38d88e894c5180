package dev.tpo.model.generate;

/**
 * One sampled continuation: the new tokens only.
 *
 * @param finishReason "eos", "stop" (a stop string appeared) or "length" (max new tokens reached)
 */
public record Generation(int promptIndex, int sampleIndex, int[] tokens, String finishReason) {}
