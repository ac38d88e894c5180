package dev.tpo.method.judge;

import java.util.List;

/**
 * Scores the responses of prompts (never their thoughts). Every implementation returns one {@link JudgeScores}
 * per task, in task order, with one score per response. A null response stands for a malformed output: it is
 * never shown to the judge and its score is NaN.
 *
 * <p>Failures are {@link JudgeException}s whose {@link JudgeException#isTransient()} tells a pipeline whether a
 * retry can help. Closing a judge closes what it owns (an LLM judge's backend) but never a model or tokenizer
 * handed to it.
 */
public interface Judge extends AutoCloseable {
    List<JudgeScores> score(List<JudgeTask> tasks);

    @Override
    void close();
}
