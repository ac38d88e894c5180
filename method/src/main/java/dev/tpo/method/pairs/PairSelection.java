package dev.tpo.method.pairs;

import java.util.List;

/** The pairs of one iteration, in the order their prompts first appeared, and how they were made. */
public record PairSelection(List<SelectedPair> pairs, PairStats stats) {
    public PairSelection {
        pairs = List.copyOf(pairs);
    }
}
