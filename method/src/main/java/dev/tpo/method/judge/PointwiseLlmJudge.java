package dev.tpo.method.judge;

import dev.tpo.model.tokenizer.ChatMessage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalDouble;

/**
 * An LLM grades each response alone on a 1-10 scale under a rubric. A rating that cannot be parsed (or lies outside
 * the scale) gives NaN, not a made-up neutral number: such a sample is left out of pairing (counted as unscored)
 * and makes a tie in evaluation. The raw grading text is kept in the details.
 */
public final class PointwiseLlmJudge implements Judge {
    private final JudgeBackend backend;
    private final String rubric;

    /**
     * @param backend owned by this judge: closed with it
     * @param rubric  what to judge on ({@link PointwisePrompt#DEFAULT_RUBRIC} when in doubt); the rating format is
     *                appended to it
     */
    public PointwiseLlmJudge(JudgeBackend backend, String rubric) {
        if (rubric == null || rubric.isBlank()) {
            throw new IllegalArgumentException("pointwise judge rubric must not be empty");
        }
        this.backend = backend;
        this.rubric = rubric.strip();
    }

    @Override
    public List<JudgeScores> score(List<JudgeTask> tasks) {
        List<List<ChatMessage>> chats = new ArrayList<>();
        for (JudgeTask task : tasks) {
            for (int i : task.judgedIndices()) {
                chats.add(PointwisePrompt.chat(
                        rubric,
                        task.prompt(),
                        task.reference(),
                        task.responses().get(i)));
            }
        }
        List<String> answers = chats.isEmpty() ? List.of() : backend.complete(chats);
        if (answers.size() != chats.size()) {
            throw new JudgeException(
                    "judge backend returned " + answers.size() + " answers for " + chats.size() + " prompts", false);
        }
        List<JudgeScores> out = new ArrayList<>(tasks.size());
        int next = 0;
        for (JudgeTask task : tasks) {
            double[] scores = new double[task.responses().size()];
            Arrays.fill(scores, Double.NaN);
            List<String> details = new ArrayList<>();
            for (int i : task.judgedIndices()) {
                String answer = answers.get(next++);
                OptionalDouble rating = PointwisePrompt.parse(answer);
                scores[i] = rating.orElse(Double.NaN);
                details.add("response " + i + " "
                        + (rating.isPresent() ? "rated " + rating.getAsDouble() : "UNPARSEABLE") + ": " + answer);
            }
            out.add(new JudgeScores(task.promptId(), scores, details));
        }
        return out;
    }

    @Override
    public void close() {
        backend.close();
    }
}
