package dev.tpo.activities.heartbeat;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * Heartbeat details of a step that works through a list (prompts judged, eval prompts answered or judged, pairs
 * scored): what it counts, how many are done and of how many, so the Web UI and {@code tpo status} show how far a
 * long step is. The {@link HeartbeatPump} sends the latest one; generation and training have their own records
 * because a retry resumes from them.
 *
 * @param items what is counted, e.g. "prompts judged"
 * @param total 0 until the step knows it (before its input is read)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ItemProgress(String items, int done, int total) {}
