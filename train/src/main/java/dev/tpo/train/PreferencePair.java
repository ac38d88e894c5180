package dev.tpo.train;

/**
 * One preference pair as token ids, with the frozen reference policy's summed completion log-probs.
 *
 * @param promptIds       the chat-formatted prompt
 * @param chosenIds       the preferred completion (thought included)
 * @param rejectedIds     the dispreferred completion
 * @param refChosenLogp   sum of log p_ref(chosen token | prefix) over the chosen completion
 * @param refRejectedLogp the same for the rejected completion
 */
public record PreferencePair(
        int[] promptIds, int[] chosenIds, int[] rejectedIds, double refChosenLogp, double refRejectedLogp) {

    public PreferencePair withReference(double chosen, double rejected) {
        return new PreferencePair(promptIds, chosenIds, rejectedIds, chosen, rejected);
    }

    public long tokenCount() {
        return 2L * promptIds.length + chosenIds.length + rejectedIds.length;
    }
}
