package dev.tpo.activities.rows;

/**
 * One line of a generation shard file: a prompt with its position in the iteration's selection, which seeds its
 * samples (so a shard, or a resumed part of one, samples the same as the whole selection would).
 */
public record ShardPrompt(int index, String id, String prompt, String category, String reference) {}
