package dev.tpo.train;

import dev.tpo.model.CausalLm;
import dev.tpo.model.score.ScoredSequence;
import dev.tpo.model.score.Scorer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The frozen reference policy's summed completion log-probs, computed once before training so the trainer holds
 * only the policy. The reference is the starting policy itself, scored before any update.
 */
public final class ReferenceLogProbs {
    private final CausalLm reference;
    private final int maxBatch;

    public ReferenceLogProbs(CausalLm reference, int maxBatch) {
        this.reference = reference;
        this.maxBatch = maxBatch;
    }

    /** Returns the pairs with ref_chosen_logp and ref_rejected_logp filled in. */
    public List<PreferencePair> annotate(List<PreferencePair> pairs) {
        List<int[]> sequences = new ArrayList<>(2 * pairs.size());
        int[] starts = new int[2 * pairs.size()];
        int k = 0;
        for (PreferencePair p : pairs) {
            sequences.add(concat(p.promptIds(), p.chosenIds()));
            starts[k++] = p.promptIds().length;
            sequences.add(concat(p.promptIds(), p.rejectedIds()));
            starts[k++] = p.promptIds().length;
        }
        List<ScoredSequence> scored = new Scorer(reference, maxBatch).score(sequences, starts);
        List<PreferencePair> out = new ArrayList<>(pairs.size());
        for (int i = 0; i < pairs.size(); i++) {
            out.add(pairs.get(i)
                    .withReference(
                            scored.get(2 * i).sum(), scored.get(2 * i + 1).sum()));
        }
        return out;
    }

    /** Reads a pairs file (reference fields optional), scores it and writes the annotated pairs to {@code out}. */
    public void annotateFile(Path in, Path out) {
        annotateFile(in, out, null);
    }

    /** @param text encodes text-form lines; null when only id-form lines are allowed */
    public void annotateFile(Path in, Path out, TextEncoder text) {
        TrainingData data = new TrainingData();
        data.writePairs(out, annotate(data.readPairs(in, false, text)));
    }

    private static int[] concat(int[] a, int[] b) {
        int[] c = new int[a.length + b.length];
        System.arraycopy(a, 0, c, 0, a.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
