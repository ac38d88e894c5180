package dev.tpo.method.eval;

import dev.tpo.method.judge.ComparisonTask;
import dev.tpo.method.judge.Judge;
import dev.tpo.method.judge.JudgeException;
import dev.tpo.method.judge.Outcome;
import dev.tpo.method.judge.PairwiseVerdicts;
import dev.tpo.method.judge.Verdict;
import dev.tpo.method.judge.VerifierJudge;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The policy's responses (thoughts already removed) against a baseline's on an eval set.
 *
 * <p>Each item gets a verdict from the policy's side. Items where either side has no response are decided without
 * the judge, because a malformed output is never shown to it: a malformed policy output loses, a blank baseline
 * response loses to a policy response, and two missing responses tie. The rest go to the judge, in one call or in
 * calls of a given size (a pairwise judge compares both orders; a scoring judge compares scores).
 *
 * <p>Accuracy is measured on items with a reference answer when a verifier is given; a malformed output is never
 * correct. With a verifier as the judge itself, the headline score is the policy's accuracy; otherwise it is the
 * win rate.
 */
public final class Evaluation {
    public static final String NO_CATEGORY = "uncategorized";

    private final PairwiseVerdicts verdicts;
    private final ScoreKind kind;
    private final Optional<VerifierJudge> referenceChecker;

    /**
     * @param referenceChecker measures accuracy on items with a reference; required for {@link ScoreKind#ACCURACY}
     */
    public Evaluation(PairwiseVerdicts verdicts, ScoreKind kind, Optional<VerifierJudge> referenceChecker) {
        this.verdicts = Objects.requireNonNull(verdicts, "verdicts");
        this.kind = Objects.requireNonNull(kind, "score kind");
        this.referenceChecker = Objects.requireNonNull(referenceChecker, "referenceChecker");
        if (kind == ScoreKind.ACCURACY && referenceChecker.isEmpty()) {
            throw new IllegalArgumentException("an accuracy evaluation needs a verifier to check references");
        }
    }

    /** The configured judge alone: a verifier gives an accuracy evaluation, any other judge a win-rate one. */
    public static Evaluation withJudge(Judge judge) {
        if (judge instanceof VerifierJudge verifier) {
            return new Evaluation(PairwiseVerdicts.of(judge), ScoreKind.ACCURACY, Optional.of(verifier));
        }
        return new Evaluation(PairwiseVerdicts.of(judge), ScoreKind.WIN_RATE, Optional.empty());
    }

    /** A win-rate evaluation by {@code judge} that also reports accuracy on items with a reference. */
    public static Evaluation withJudge(Judge judge, VerifierJudge referenceChecker) {
        ScoreKind kind = judge instanceof VerifierJudge ? ScoreKind.ACCURACY : ScoreKind.WIN_RATE;
        return new Evaluation(PairwiseVerdicts.of(judge), kind, Optional.of(referenceChecker));
    }

    public EvalSummary run(List<EvalItem> items) {
        return judge(items).summary();
    }

    /** Progress of a judging: comparisons judged so far, of those that go to the judge. */
    @FunctionalInterface
    public interface Progress {
        void judged(int done, int total);
    }

    public JudgedEvaluation judge(List<EvalItem> items) {
        return judge(items, Integer.MAX_VALUE, (done, total) -> {});
    }

    /**
     * Judges in calls of at most {@code perCall} comparisons (they are independent, so the verdicts are the same as
     * in one call), reporting progress after each: a long eval set with an endpoint judge shows how far it is.
     */
    public JudgedEvaluation judge(List<EvalItem> items, int perCall, Progress progress) {
        if (perCall < 1) {
            throw new IllegalArgumentException("perCall must be positive, got " + perCall);
        }
        if (items.isEmpty()) {
            throw new IllegalArgumentException("evaluation needs at least one item");
        }
        checkIds(items);
        List<ComparisonTask> comparisons = new ArrayList<>();
        List<Integer> judgedItems = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            EvalItem item = items.get(i);
            if (kind == ScoreKind.ACCURACY && item.reference() == null) {
                throw new JudgeException(
                        "eval item '" + item.promptId() + "' has no reference answer, which an "
                                + "accuracy evaluation needs",
                        false);
            }
            if (item.policyJudged() && item.baselineJudged()) {
                comparisons.add(new ComparisonTask(
                        item.promptId(),
                        item.prompt(),
                        item.reference(),
                        item.policyResponse(),
                        item.baselineResponse()));
                judgedItems.add(i);
            }
        }
        List<Outcome> outcomes = new ArrayList<>(comparisons.size());
        progress.judged(0, comparisons.size());
        for (int from = 0; from < comparisons.size(); from += perCall) {
            List<ComparisonTask> call = comparisons.subList(from, Math.min(comparisons.size(), from + perCall));
            List<Outcome> got = verdicts.compare(call);
            if (got.size() != call.size()) {
                throw new JudgeException(
                        "judge returned " + got.size() + " verdicts for " + call.size() + " comparisons", false);
            }
            outcomes.addAll(got);
            progress.judged(outcomes.size(), comparisons.size());
        }
        Outcome[] byItem = new Outcome[items.size()];
        for (int k = 0; k < judgedItems.size(); k++) {
            byItem[judgedItems.get(k)] = outcomes.get(k);
        }
        List<EvalJudgement> judgements = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            judgements.add(judgement(items.get(i), byItem[i]));
        }
        return new JudgedEvaluation(judgements, summarise(items, judgements));
    }

    private EvalJudgement judgement(EvalItem item, Outcome outcome) {
        Verdict verdict;
        List<String> details;
        if (outcome != null) {
            verdict = outcome.verdict();
            details = outcome.details();
        } else if (!item.policyJudged() && !item.baselineJudged()) {
            verdict = Verdict.TIE;
            details = List.of("neither side has a response");
        } else if (!item.policyJudged()) {
            verdict = Verdict.LOSS;
            details = List.of("policy output malformed: no response to judge");
        } else {
            verdict = Verdict.WIN;
            details = List.of("baseline response empty");
        }
        Boolean policyCorrect = null;
        Boolean baselineCorrect = null;
        if (item.reference() != null && referenceChecker.isPresent()) {
            VerifierJudge checker = referenceChecker.get();
            policyCorrect = item.policyJudged()
                    && checker.check(item.promptId(), item.reference(), item.policyResponse())
                            .correct();
            baselineCorrect = item.baselineJudged()
                    && checker.check(item.promptId(), item.reference(), item.baselineResponse())
                            .correct();
        }
        return new EvalJudgement(
                item.promptId(),
                categoryOf(item),
                verdict,
                policyCorrect,
                baselineCorrect,
                item.policyResponse().length(),
                item.baselineResponse().length(),
                details);
    }

    private EvalSummary summarise(List<EvalItem> items, List<EvalJudgement> judgements) {
        int n = items.size();
        int[] counts = new int[Verdict.values().length];
        double[] points = new double[n];
        int[] policyLength = new int[n];
        int[] baselineLength = new int[n];
        Map<String, List<EvalJudgement>> byCategory = new TreeMap<>();
        double thoughtChars = 0;
        double responseChars = 0;
        double baselineChars = 0;
        int malformed = 0;
        int referenced = 0;
        int policyCorrect = 0;
        int baselineCorrect = 0;
        for (int i = 0; i < n; i++) {
            EvalItem item = items.get(i);
            EvalJudgement j = judgements.get(i);
            counts[j.verdict().ordinal()]++;
            points[i] = j.verdict().points();
            policyLength[i] = j.policyResponseChars();
            baselineLength[i] = j.baselineResponseChars();
            byCategory.computeIfAbsent(j.category(), k -> new ArrayList<>()).add(j);
            thoughtChars += item.policyThought().length();
            responseChars += item.policyResponse().length();
            baselineChars += item.baselineResponse().length();
            malformed += item.policyJudged() ? 0 : 1;
            if (j.policyCorrect() != null) {
                referenced++;
                policyCorrect += j.policyCorrect() ? 1 : 0;
                baselineCorrect += j.baselineCorrect() ? 1 : 0;
            }
        }
        Map<String, CategoryResult> perCategory = new TreeMap<>();
        byCategory.forEach((category, ofCategory) -> perCategory.put(category, category(ofCategory)));
        int wins = counts[Verdict.WIN.ordinal()];
        int ties = counts[Verdict.TIE.ordinal()];
        double winRate = 100.0 * (wins + 0.5 * ties) / n;
        // Without a single judged policy response, the lengths are those of outputs that were never compared (""
        // for a malformed one): there is no length preference to control for, so the LC win rate is undefined
        // rather than a fit to forfeits.
        boolean anyJudged = items.stream().anyMatch(EvalItem::policyJudged);
        Double lcWinRate = anyJudged ? LengthControlledWinRate.compute(points, policyLength, baselineLength) : null;
        Double policyAccuracy = referenced == 0 ? null : 100.0 * policyCorrect / referenced;
        Double baselineAccuracy = referenced == 0 ? null : 100.0 * baselineCorrect / referenced;
        double score = kind == ScoreKind.ACCURACY ? policyAccuracy : winRate;
        return new EvalSummary(
                n,
                kind,
                score,
                winRate,
                lcWinRate,
                wins,
                ties,
                counts[Verdict.LOSS.ordinal()],
                perCategory,
                thoughtChars / n,
                responseChars / n,
                baselineChars / n,
                100.0 * malformed / n,
                referenced,
                policyAccuracy,
                baselineAccuracy);
    }

    private static CategoryResult category(List<EvalJudgement> judgements) {
        int wins = 0;
        int ties = 0;
        int checked = 0;
        int correct = 0;
        for (EvalJudgement j : judgements) {
            wins += j.verdict() == Verdict.WIN ? 1 : 0;
            ties += j.verdict() == Verdict.TIE ? 1 : 0;
            if (j.policyCorrect() != null) {
                checked++;
                correct += j.policyCorrect() ? 1 : 0;
            }
        }
        int n = judgements.size();
        Double accuracy = checked == n ? 100.0 * correct / n : null;
        return new CategoryResult(n, wins, ties, n - wins - ties, 100.0 * (wins + 0.5 * ties) / n, accuracy);
    }

    private static String categoryOf(EvalItem item) {
        return item.category() == null || item.category().isBlank() ? NO_CATEGORY : item.category();
    }

    private static void checkIds(List<EvalItem> items) {
        Set<String> seen = new HashSet<>();
        for (EvalItem item : items) {
            if (!seen.add(item.promptId())) {
                throw new IllegalArgumentException("eval item '" + item.promptId() + "' appears more than once");
            }
        }
    }
}
