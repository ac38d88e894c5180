package dev.tpo.train;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * One line of a pairs JSONL file, the schema its writers and readers share (snake_case names). The trainer reads
 * the pair as token ids ({@code prompt_ids}, {@code chosen_ids}, {@code rejected_ids}) or, where those are absent,
 * as text ({@code prompt}, chat-formatted, {@code chosen}, {@code rejected}), and the reference policy's summed
 * completion log-probs once they are computed. The pairing step writes ids and text together, the pair's origin
 * (prompt id, sample indices, judge scores, whether the rejected sample was malformed) and each side's thought and
 * response apart as the parser split them, for people and the run report; the trainer ignores those. Any field may
 * be absent (null); the reference log-probs are left out when null.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record PairRow(
        String promptId,
        @JsonDeserialize(using = TokenIdsJson.class) int[] promptIds,
        @JsonDeserialize(using = TokenIdsJson.class) int[] chosenIds,
        @JsonDeserialize(using = TokenIdsJson.class) int[] rejectedIds,
        String prompt,
        String chosen,
        String rejected,
        Integer chosenIndex,
        Integer rejectedIndex,
        Double chosenScore,
        Double rejectedScore,
        Boolean rejectedMalformed,
        String chosenThought,
        String chosenResponse,
        String rejectedThought,
        String rejectedResponse,
        @JsonInclude(JsonInclude.Include.NON_NULL) Double refChosenLogp,
        @JsonInclude(JsonInclude.Include.NON_NULL) Double refRejectedLogp) {

    /** The row the trainer writes: ids, and the reference log-probs when both are finite. */
    public static PairRow of(PreferencePair p) {
        boolean scored = Double.isFinite(p.refChosenLogp()) && Double.isFinite(p.refRejectedLogp());
        return new PairRow(
                null,
                p.promptIds(),
                p.chosenIds(),
                p.rejectedIds(),
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                scored ? p.refChosenLogp() : null,
                scored ? p.refRejectedLogp() : null);
    }
}
