package dev.tpo.activities;

/**
 * One preference pair in pairs JSONL: the token ids the trainer reads (prompt under the thought prompt, both full
 * completions with their thoughts) and the same as text, for people reading the data; each side's thought and
 * response apart as the parser split them (the judge saw only the response), for the run report's transcripts.
 */
record PairRow(String promptId, int[] promptIds, int[] chosenIds, int[] rejectedIds, String prompt, String chosen,
               String rejected, int chosenIndex, int rejectedIndex, double chosenScore, Double rejectedScore,
               boolean rejectedMalformed, String chosenThought, String chosenResponse, String rejectedThought,
               String rejectedResponse) {
}
