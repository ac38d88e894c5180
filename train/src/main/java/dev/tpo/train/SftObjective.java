package dev.tpo.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.tpo.model.CausalLm;
import dev.tpo.model.nn.Scalars;
import java.util.ArrayList;
import java.util.List;

/**
 * Completion-only cross-entropy: the negative log-likelihood summed over the completion tokens of the whole
 * optimiser step and divided by their count (transformers' num_items_in_batch rule), so accumulation does not
 * change the result.
 */
public final class SftObjective implements TrainingObjective<SftExample> {

    @Override
    public double normalizer(List<SftExample> stepExamples) {
        long tokens = 0;
        for (SftExample e : stepExamples) {
            tokens += e.completionIds().length;
        }
        return tokens;
    }

    @Override
    public NDArray loss(
            CausalLm model, NDManager scope, List<SftExample> batch, double normalizer, MetricSums metrics) {
        List<int[]> prompts = new ArrayList<>(batch.size());
        List<int[]> completions = new ArrayList<>(batch.size());
        for (SftExample e : batch) {
            prompts.add(e.promptIds());
            completions.add(e.completionIds());
        }
        CompletionLogProbs logps = CompletionLogProbs.compute(model, scope, prompts, completions);
        return logps.sums().sum().neg().div(Scalars.of(scope, normalizer));
    }

    @Override
    public long tokens(SftExample example) {
        return example.tokenCount();
    }
}
