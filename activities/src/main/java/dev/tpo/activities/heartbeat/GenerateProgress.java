package dev.tpo.activities.heartbeat;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * Heartbeat details of a generation shard.
 *
 * @param nextChunk the first chunk whose part file is not stored yet: a retry starts there
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record GenerateProgress(int nextChunk, int chunks, int promptsDone, long tokens, double tokensPerSecond) {}
