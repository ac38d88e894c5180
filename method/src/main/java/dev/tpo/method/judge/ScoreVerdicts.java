package dev.tpo.method.judge;

import java.util.ArrayList;
import java.util.List;

/**
 * Verdicts from a scoring judge (reward model, pointwise LLM, verifier): both responses of a comparison are scored
 * in one task and the higher score wins. Equal scores, or a score the judge could not give (NaN), make a tie.
 */
public final class ScoreVerdicts implements PairwiseVerdicts {
    private final Judge judge;

    public ScoreVerdicts(Judge judge) {
        this.judge = judge;
    }

    @Override
    public List<Outcome> compare(List<ComparisonTask> comparisons) {
        List<JudgeTask> tasks = new ArrayList<>(comparisons.size());
        for (ComparisonTask c : comparisons) {
            tasks.add(new JudgeTask(c.promptId(), c.prompt(), c.reference(), List.of(c.responseA(), c.responseB())));
        }
        List<JudgeScores> scored = judge.score(tasks);
        if (scored.size() != tasks.size()) {
            throw new JudgeException(
                    "judge returned " + scored.size() + " results for " + tasks.size() + " comparisons", false);
        }
        List<Outcome> out = new ArrayList<>(scored.size());
        for (int i = 0; i < scored.size(); i++) {
            double[] s = scored.get(i).scores();
            Verdict verdict;
            if (Double.isNaN(s[0]) || Double.isNaN(s[1]) || s[0] == s[1]) {
                verdict = Verdict.TIE;
            } else {
                verdict = s[0] > s[1] ? Verdict.WIN : Verdict.LOSS;
            }
            List<String> details = new ArrayList<>();
            details.add("score A " + s[0] + ", score B " + s[1]);
            details.addAll(scored.get(i).details());
            out.add(new Outcome(comparisons.get(i).promptId(), verdict, details));
        }
        return out;
    }
}
