package dev.tpo.activities;

/**
 * One preference pair in pairs JSONL: the token ids the trainer reads (prompt under the thought prompt, both full
 * completions with their thoughts) and the same as text, for people reading the data.
 */
record PairRow(String promptId, int[] promptIds, int[] chosenIds, int[] rejectedIds, String prompt, String chosen,
               String rejected, int chosenIndex, int rejectedIndex, double chosenScore, Double rejectedScore,
               boolean rejectedMalformed) {
}
