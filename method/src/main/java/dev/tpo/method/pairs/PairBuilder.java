package dev.tpo.method.pairs;

import dev.tpo.method.length.LengthControl;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds one preference pair per prompt: chosen = highest and rejected = lowest length-controlled score among the
 * prompt's scored well-formed samples. Ties between samples are broken by the lower sample index, so the result
 * does not depend on input order.
 *
 * <p>A prompt is dropped when its judge scores all tie (the judge saw no difference, and length alone must not
 * make a pair) or when it has fewer than two scored well-formed samples.
 *
 * <p>With {@code malformedAsRejected} (the paper did this; off by default) a prompt that has at least one
 * malformed output and at least one scored well-formed sample pairs its best well-formed sample against its
 * lowest-index malformed output, teaching the format as well as quality.
 */
public final class PairBuilder {
    private final double rho;
    private final boolean malformedAsRejected;

    public PairBuilder(double rho, boolean malformedAsRejected) {
        if (!(rho >= 0) || Double.isInfinite(rho)) {
            throw new IllegalArgumentException("length-control rho must be a finite number >= 0, got " + rho);
        }
        this.rho = rho;
        this.malformedAsRejected = malformedAsRejected;
    }

    public PairSelection select(List<ScoredSample> samples) {
        Map<String, List<ScoredSample>> byPrompt = groupByPrompt(samples);
        List<SelectedPair> pairs = new ArrayList<>();
        int droppedTied = 0;
        int droppedFew = 0;
        int malformed = 0;
        int unscored = 0;
        for (Map.Entry<String, List<ScoredSample>> entry : byPrompt.entrySet()) {
            List<ScoredSample> scored = new ArrayList<>();
            ScoredSample firstMalformed = null;
            for (ScoredSample s : entry.getValue()) {
                if (s.malformed()) {
                    malformed++;
                    if (firstMalformed == null || s.sampleIndex() < firstMalformed.sampleIndex()) {
                        firstMalformed = s;
                    }
                } else if (!s.scored()) {
                    unscored++;
                } else {
                    scored.add(s);
                }
            }
            scored.sort((a, b) -> Integer.compare(a.sampleIndex(), b.sampleIndex()));
            boolean rejectMalformed = malformedAsRejected && firstMalformed != null && !scored.isEmpty();
            if (!rejectMalformed && scored.size() < 2) {
                droppedFew++;
                continue;
            }
            double[] adjusted = adjustedScores(scored);
            int best = argBest(adjusted, true);
            if (rejectMalformed) {
                ScoredSample c = scored.get(best);
                pairs.add(new SelectedPair(
                        entry.getKey(),
                        c.sampleIndex(),
                        firstMalformed.sampleIndex(),
                        c.score(),
                        null,
                        adjusted[best],
                        null,
                        c.responseLength(),
                        firstMalformed.responseLength(),
                        true));
                continue;
            }
            int worst = argBest(adjusted, false);
            if (allEqualScores(scored) || adjusted[best] == adjusted[worst]) {
                droppedTied++;
                continue;
            }
            ScoredSample c = scored.get(best);
            ScoredSample r = scored.get(worst);
            pairs.add(new SelectedPair(
                    entry.getKey(),
                    c.sampleIndex(),
                    r.sampleIndex(),
                    c.score(),
                    r.score(),
                    adjusted[best],
                    adjusted[worst],
                    c.responseLength(),
                    r.responseLength(),
                    false));
        }
        return new PairSelection(pairs, stats(byPrompt.size(), pairs, droppedTied, droppedFew, malformed, unscored));
    }

    private double[] adjustedScores(List<ScoredSample> scored) {
        double[] raw = new double[scored.size()];
        int[] lengths = new int[scored.size()];
        for (int i = 0; i < raw.length; i++) {
            raw[i] = scored.get(i).score();
            lengths[i] = scored.get(i).responseLength();
        }
        return LengthControl.apply(raw, lengths, rho);
    }

    /** Index of the highest (or lowest) value; the first wins a tie, i.e. the lowest sample index. */
    private static int argBest(double[] values, boolean highest) {
        int at = 0;
        for (int i = 1; i < values.length; i++) {
            if (highest ? values[i] > values[at] : values[i] < values[at]) {
                at = i;
            }
        }
        return at;
    }

    private static boolean allEqualScores(List<ScoredSample> scored) {
        for (ScoredSample s : scored) {
            if (s.score() != scored.get(0).score()) {
                return false;
            }
        }
        return true;
    }

    private static Map<String, List<ScoredSample>> groupByPrompt(List<ScoredSample> samples) {
        Map<String, List<ScoredSample>> byPrompt = new LinkedHashMap<>();
        Set<String> seen = new HashSet<>();
        for (ScoredSample s : samples) {
            if (!seen.add(s.promptId() + "\u0000" + s.sampleIndex())) {
                throw new IllegalArgumentException(
                        "prompt '" + s.promptId() + "' has sample " + s.sampleIndex() + " more than once");
            }
            byPrompt.computeIfAbsent(s.promptId(), k -> new ArrayList<>()).add(s);
        }
        return byPrompt;
    }

    private static PairStats stats(
            int prompts, List<SelectedPair> pairs, int droppedTied, int droppedFew, int malformed, int unscored) {
        int withMalformed = 0;
        int wellFormed = 0;
        double chosenLength = 0;
        double rejectedLength = 0;
        double margin = 0;
        for (SelectedPair p : pairs) {
            if (p.rejectedMalformed()) {
                withMalformed++;
                continue;
            }
            wellFormed++;
            chosenLength += p.chosenLength();
            rejectedLength += p.rejectedLength();
            margin += p.chosenScore() - p.rejectedScore();
        }
        double n = Math.max(1, wellFormed);
        return new PairStats(
                prompts,
                pairs.size(),
                droppedTied,
                droppedFew,
                malformed,
                unscored,
                withMalformed,
                chosenLength / n,
                rejectedLength / n,
                margin / n);
    }
}
