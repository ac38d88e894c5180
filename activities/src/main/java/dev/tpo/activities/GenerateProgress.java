package dev.tpo.activities;

/**
 * Heartbeat details of a generation shard.
 *
 * @param nextChunk the first chunk whose part file is not stored yet: a retry starts there
 */
public record GenerateProgress(int nextChunk, int chunks, int promptsDone, long tokens, double tokensPerSecond) {
}
