package dev.tpo.method.judge;

import dev.tpo.model.tokenizer.ChatMessage;
import java.util.List;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The single-answer grading prompt (MT-Bench style: a rubric, an explanation, then {@code Rating: [[n]]} on a
 * 1-10 scale) and a forgiving parser of the rating.
 */
public final class PointwisePrompt {
    public static final double MIN_SCORE = 1;
    public static final double MAX_SCORE = 10;

    public static final String DEFAULT_RUBRIC = "Please act as an impartial judge and evaluate the quality of the "
            + "response provided by an AI assistant to the user question displayed below. Your evaluation should "
            + "consider factors such as the helpfulness, relevance, accuracy, depth, creativity, and level of detail "
            + "of the response. Do not allow the length of the response to influence your evaluation.";

    static final String FORMAT = "Begin your evaluation by providing a short explanation. Be as objective as "
            + "possible. After providing your explanation, you must rate the response on a scale of 1 to 10 by "
            + "strictly following this format: \"[[rating]]\", for example: \"Rating: [[5]]\".";

    private static final String NUMBER = "(\\d+(?:\\.\\d+)?)";
    // Tried in order; within a pattern the last match counts (the explanation may quote the format first).
    private static final List<Pattern> RATINGS = List.of(
            Pattern.compile("\\[\\[\\s*" + NUMBER + "\\s*(?:/\\s*10\\s*)?]]"),
            Pattern.compile("(?i)\\b(?:rating|score)\\s*(?:is|of)?\\s*[:=]?\\s*\\**\\s*" + NUMBER + "\\b"),
            Pattern.compile(NUMBER + "\\s*/\\s*10\\b"),
            Pattern.compile("^\\s*" + NUMBER + "\\s*$"));

    private PointwisePrompt() {}

    public static List<ChatMessage> chat(String rubric, String question, String reference, String answer) {
        StringBuilder user = new StringBuilder();
        user.append("[Question]\n").append(question).append("\n\n");
        if (reference != null) {
            user.append("[The Start of Reference Answer]\n")
                    .append(reference)
                    .append("\n[The End of Reference Answer]\n\n");
        }
        user.append("[The Start of Assistant's Answer]\n").append(answer).append("\n[The End of Assistant's Answer]");
        return List.of(ChatMessage.system(rubric + "\n\n" + FORMAT), ChatMessage.user(user.toString()));
    }

    /** The rating in [1, 10], or empty when none can be found or it is out of range. */
    public static OptionalDouble parse(String judgeOutput) {
        for (Pattern pattern : RATINGS) {
            Matcher m = pattern.matcher(judgeOutput);
            String last = null;
            while (m.find()) {
                last = m.group(1);
            }
            if (last != null) {
                double value = Double.parseDouble(last);
                return value >= MIN_SCORE && value <= MAX_SCORE ? OptionalDouble.of(value) : OptionalDouble.empty();
            }
        }
        return OptionalDouble.empty();
    }
}
