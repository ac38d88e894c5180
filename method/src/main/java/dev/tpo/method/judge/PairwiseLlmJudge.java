package dev.tpo.method.judge;

import dev.tpo.model.tokenizer.ChatMessage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The paper's LLM judge: every pair of a prompt's responses is judged in both orders, r(m, n) in {+1, -1, 0}
 * (0 for a tie or an unparseable verdict), the battle matrix is {@code B[m][n] = 1[r(m,n) = +1] + 1[r(n,m) = -1]}
 * and the scores are its Bradley-Terry fit ({@link BradleyTerry}). K responses cost K(K-1) judge calls, all sent
 * to the backend in one list. For evaluation, each comparison is judged in both orders and the two signs summed.
 */
public final class PairwiseLlmJudge implements Judge, PairwiseVerdicts {
    private final JudgeBackend backend;

    /** @param backend owned by this judge: closed with it */
    public PairwiseLlmJudge(JudgeBackend backend) {
        this.backend = backend;
    }

    /** One ordered game: response {@code first} shown as A, {@code second} as B. */
    private record Game(int task, int first, int second) {}

    @Override
    public List<JudgeScores> score(List<JudgeTask> tasks) {
        List<Game> games = new ArrayList<>();
        List<List<ChatMessage>> chats = new ArrayList<>();
        for (int t = 0; t < tasks.size(); t++) {
            JudgeTask task = tasks.get(t);
            List<Integer> judged = task.judgedIndices();
            for (int i : judged) {
                for (int j : judged) {
                    if (i != j) {
                        games.add(new Game(t, i, j));
                        chats.add(PairwisePrompt.chat(
                                task.prompt(),
                                task.reference(),
                                task.responses().get(i),
                                task.responses().get(j)));
                    }
                }
            }
        }
        List<String> answers = completeAll(chats);
        List<double[][]> battles = new ArrayList<>();
        List<List<String>> details = new ArrayList<>();
        for (JudgeTask task : tasks) {
            int k = task.responses().size();
            battles.add(new double[k][k]);
            details.add(new ArrayList<>());
        }
        for (int g = 0; g < games.size(); g++) {
            Game game = games.get(g);
            PairwisePrompt.Judgement judgement = PairwisePrompt.parse(answers.get(g));
            // r(first, second) = +1 is a game first won; r = -1 is a game second won
            if (judgement.sign() > 0) {
                battles.get(game.task())[game.first()][game.second()] += 1;
            } else if (judgement.sign() < 0) {
                battles.get(game.task())[game.second()][game.first()] += 1;
            }
            details.get(game.task())
                    .add("A=" + game.first() + " B=" + game.second() + " " + judgement + ": " + answers.get(g));
        }
        List<JudgeScores> out = new ArrayList<>(tasks.size());
        for (int t = 0; t < tasks.size(); t++) {
            JudgeTask task = tasks.get(t);
            out.add(new JudgeScores(task.promptId(), scoresOf(task, battles.get(t)), details.get(t)));
        }
        return out;
    }

    /** Fits the judged responses only; malformed ones (never judged) get NaN. */
    private static double[] scoresOf(JudgeTask task, double[][] battles) {
        List<Integer> judged = task.judgedIndices();
        double[][] sub = new double[judged.size()][judged.size()];
        for (int a = 0; a < judged.size(); a++) {
            for (int b = 0; b < judged.size(); b++) {
                sub[a][b] = battles[judged.get(a)][judged.get(b)];
            }
        }
        double[] fitted = BradleyTerry.fit(sub);
        double[] scores = new double[task.responses().size()];
        Arrays.fill(scores, Double.NaN);
        for (int a = 0; a < judged.size(); a++) {
            scores[judged.get(a)] = fitted[a];
        }
        return scores;
    }

    @Override
    public List<Outcome> compare(List<ComparisonTask> comparisons) {
        List<List<ChatMessage>> chats = new ArrayList<>(2 * comparisons.size());
        for (ComparisonTask c : comparisons) {
            chats.add(PairwisePrompt.chat(c.prompt(), c.reference(), c.responseA(), c.responseB()));
            chats.add(PairwisePrompt.chat(c.prompt(), c.reference(), c.responseB(), c.responseA()));
        }
        List<String> answers = completeAll(chats);
        List<Outcome> out = new ArrayList<>(comparisons.size());
        for (int i = 0; i < comparisons.size(); i++) {
            String policyFirst = answers.get(2 * i);
            String policySecond = answers.get(2 * i + 1);
            int points = PairwisePrompt.parse(policyFirst).sign()
                    - PairwisePrompt.parse(policySecond).sign();
            Verdict verdict = points > 0 ? Verdict.WIN : points < 0 ? Verdict.LOSS : Verdict.TIE;
            out.add(new Outcome(
                    comparisons.get(i).promptId(),
                    verdict,
                    List.of("policy as A: " + policyFirst, "policy as B: " + policySecond)));
        }
        return out;
    }

    private List<String> completeAll(List<List<ChatMessage>> chats) {
        if (chats.isEmpty()) {
            return List.of();
        }
        List<String> answers = backend.complete(chats);
        if (answers.size() != chats.size()) {
            throw new JudgeException(
                    "judge backend returned " + answers.size() + " answers for " + chats.size() + " prompts", false);
        }
        return answers;
    }

    @Override
    public void close() {
        backend.close();
    }
}
