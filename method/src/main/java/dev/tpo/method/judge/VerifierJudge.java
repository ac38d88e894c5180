package dev.tpo.method.judge;

import dev.tpo.api.spec.VerifierMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Checks responses against a prompt's reference answer: score 1 when correct, 0 when not (NaN for a malformed
 * output). In every mode but regex the answer is first taken out of the response (see
 * {@link AnswerExtraction#answer}); numeric mode then reads the last number of that answer. A task without a
 * reference, a reference that is not a number in numeric mode, or one that is not a valid pattern in regex mode is
 * a permanent {@link JudgeException} naming the prompt.
 */
public final class VerifierJudge implements Judge {
    private static final double RELATIVE_TOLERANCE = 1e-6;

    private final VerifierMode mode;
    private final Pattern answerPattern;

    public VerifierJudge(VerifierMode mode) {
        this.mode = mode;
        this.answerPattern = null;
    }

    /** @param answerPattern finds the answer in a response (group 1 if it has one); not used in regex mode */
    public VerifierJudge(VerifierMode mode, Pattern answerPattern) {
        if (mode == VerifierMode.REGEX) {
            throw new IllegalArgumentException("verifier mode regex matches the reference pattern against the whole "
                    + "response and takes no answer pattern");
        }
        this.mode = mode;
        this.answerPattern = answerPattern;
    }

    public VerifierMode mode() {
        return mode;
    }

    @Override
    public List<JudgeScores> score(List<JudgeTask> tasks) {
        List<JudgeScores> out = new ArrayList<>(tasks.size());
        for (JudgeTask task : tasks) {
            if (task.reference() == null) {
                throw new JudgeException(
                        "prompt '" + task.promptId() + "' has no reference answer for the verifier " + "judge", false);
            }
            double[] scores = new double[task.responses().size()];
            Arrays.fill(scores, Double.NaN);
            List<String> details = new ArrayList<>();
            for (int i : task.judgedIndices()) {
                Check check = check(
                        task.promptId(), task.reference(), task.responses().get(i));
                scores[i] = check.correct() ? 1.0 : 0.0;
                details.add("response " + i + " " + (check.correct() ? "correct" : "incorrect") + ": " + check.note());
            }
            out.add(new JudgeScores(task.promptId(), scores, details));
        }
        return out;
    }

    /** Whether one response is correct, with what was compared. */
    public Check check(String promptId, String reference, String response) {
        return switch (mode) {
            case EXACT -> {
                String answer = AnswerExtraction.answer(response, answerPattern);
                yield new Check(answer.equals(reference.strip()), "answer '" + answer + "'");
            }
            case NORMALISED -> {
                String answer = AnswerExtraction.normalise(AnswerExtraction.answer(response, answerPattern));
                yield new Check(
                        answer.equals(AnswerExtraction.normalise(reference)), "normalised answer '" + answer + "'");
            }
            case NUMERIC -> numeric(promptId, reference, response);
            case REGEX -> {
                Pattern pattern;
                try {
                    pattern = Pattern.compile(reference);
                } catch (PatternSyntaxException e) {
                    throw new JudgeException(
                            "prompt '" + promptId + "': reference is not a valid regular expression: "
                                    + e.getDescription(),
                            false,
                            e);
                }
                yield new Check(pattern.matcher(response).find(), "pattern " + reference);
            }
        };
    }

    private Check numeric(String promptId, String reference, String response) {
        double expected = AnswerExtraction.lastNumber(AnswerExtraction.answer(reference, null))
                .orElseThrow(() -> new JudgeException(
                        "prompt '" + promptId + "': reference '" + reference
                                + "' holds no number for the numeric verifier",
                        false));
        Optional<Double> got = AnswerExtraction.lastNumber(AnswerExtraction.answer(response, answerPattern));
        if (got.isEmpty()) {
            return new Check(false, "no number in the answer");
        }
        double value = got.get();
        boolean correct = Math.abs(value - expected) <= RELATIVE_TOLERANCE * Math.max(1.0, Math.abs(expected));
        return new Check(correct, "number " + value + " vs reference " + expected);
    }

    /** @param note what was compared, for the audit trail */
    public record Check(boolean correct, String note) {}

    @Override
    public void close() {
        // holds nothing
    }
}
