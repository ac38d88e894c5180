package dev.tpo.method.judge;

import dev.tpo.model.tokenizer.ChatMessage;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The pairwise judging prompt in the style of the Self-Taught Evaluator (the MT-Bench pairwise prompt it builds on:
 * the judge explains first, then gives a verdict {@code [[A]]}, {@code [[B]]} or {@code [[C]]} for a tie), and the
 * parser of its verdicts.
 */
public final class PairwisePrompt {
    public static final String SYSTEM = "Please act as an impartial judge and evaluate the quality of the responses "
            + "provided by two AI assistants to the user question displayed below. You should choose the assistant "
            + "that follows the user's instructions and answers the user's question better. Your evaluation should "
            + "consider factors such as the helpfulness, relevance, accuracy, depth, creativity, and level of detail "
            + "of their responses. Begin your evaluation by comparing the two responses and provide a short "
            + "explanation. Avoid any position biases and ensure that the order in which the responses were "
            + "presented does not influence your decision. Do not allow the length of the responses to influence "
            + "your evaluation. Do not favor certain names of the assistants. Be as objective as possible. After "
            + "providing your explanation, output your final verdict by strictly following this format: \"[[A]]\" "
            + "if assistant A is better, \"[[B]]\" if assistant B is better, and \"[[C]]\" for a tie.";

    // The last bracketed verdict counts: the explanation before it may quote the format or change its mind.
    private static final Pattern VERDICT = Pattern.compile("\\[\\[\\s*([ABC])\\s*]]");

    /** What the judge said about A against B; UNPARSEABLE counts as a tie (the paper's r = 0). */
    public enum Judgement {
        A_BETTER,
        B_BETTER,
        TIE,
        UNPARSEABLE;

        /** r in the paper: +1 when A is better, -1 when B is, 0 otherwise. */
        public int sign() {
            return this == A_BETTER ? 1 : this == B_BETTER ? -1 : 0;
        }
    }

    private PairwisePrompt() {}

    public static List<ChatMessage> chat(String question, String reference, String answerA, String answerB) {
        StringBuilder user = new StringBuilder();
        user.append("[User Question]\n").append(question).append("\n\n");
        if (reference != null) {
            user.append("[The Start of Reference Answer]\n")
                    .append(reference)
                    .append("\n[The End of Reference Answer]\n\n");
        }
        user.append("[The Start of Assistant A's Answer]\n")
                .append(answerA)
                .append("\n[The End of Assistant A's Answer]\n\n")
                .append("[The Start of Assistant B's Answer]\n")
                .append(answerB)
                .append("\n[The End of Assistant B's Answer]");
        return List.of(ChatMessage.system(SYSTEM), ChatMessage.user(user.toString()));
    }

    public static Judgement parse(String judgeOutput) {
        Matcher m = VERDICT.matcher(judgeOutput);
        String last = null;
        while (m.find()) {
            last = m.group(1);
        }
        if (last == null) {
            return Judgement.UNPARSEABLE;
        }
        return switch (last) {
            case "A" -> Judgement.A_BETTER;
            case "B" -> Judgement.B_BETTER;
            default -> Judgement.TIE;
        };
    }
}
