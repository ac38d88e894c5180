package dev.tpo.activities.rows;

/** One eval prompt answered by a model, in answers JSONL; the thought is kept apart from the response. */
public record AnswerRow(
        String promptId,
        String category,
        String prompt,
        String reference,
        String output,
        String thought,
        String response,
        boolean malformed) {}
