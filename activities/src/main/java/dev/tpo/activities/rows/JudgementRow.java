package dev.tpo.activities.rows;

/**
 * One sample's verdict in judgements JSONL.
 *
 * @param score  null when the judge gave none (a malformed sample, an unparseable rating)
 * @param detail the judge's raw output or note, for audit
 */
public record JudgementRow(String promptId, int sampleIndex, Double score, String detail) {}
