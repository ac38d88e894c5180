package dev.tpo.activities.report;

import java.util.List;

/**
 * One eval prompt as the run report shows it: the seed's and each iteration's output side by side, thought and
 * response apart, with the judge's verdict on the response.
 *
 * @param baselineResponse what the judge compared against; null without a baseline
 * @param cells            one per evaluation, seed first; a missing answer is left out
 */
record EvalTranscript(
        String promptId, String category, String prompt, String reference, String baselineResponse, List<Cell> cells) {
    /**
     * @param label        "seed" or "iteration k"
     * @param verdict      win, tie or loss against the baseline; null when the judgements are missing
     * @param correct      against the reference; null when not checked
     * @param judgeDetails the judge's raw output, or why the prompt was decided without it
     */
    record Cell(
            String label,
            String thought,
            String response,
            boolean malformed,
            String verdict,
            Boolean correct,
            List<String> judgeDetails) {}
}
