package dev.tpo.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.index.NDIndex;
import dev.tpo.model.CausalLm;
import dev.tpo.model.nn.Scalars;
import java.util.ArrayList;
import java.util.List;

/**
 * DPO on pairs with stored reference log-probs: chosen and rejected rows go through one forward pass (TRL's
 * concatenated_forward), and the reported metrics carry TRL's names.
 */
public final class DpoObjective implements TrainingObjective<PreferencePair> {
    private final DpoLoss loss;

    public DpoObjective(DpoLoss loss) {
        this.loss = loss;
    }

    @Override
    public double normalizer(List<PreferencePair> stepExamples) {
        return stepExamples.size();
    }

    @Override
    public NDArray loss(CausalLm model, NDManager scope, List<PreferencePair> batch, double normalizer,
                        MetricSums metrics) {
        int b = batch.size();
        List<int[]> prompts = new ArrayList<>(2 * b);
        List<int[]> completions = new ArrayList<>(2 * b);
        for (PreferencePair p : batch) {
            prompts.add(p.promptIds());
            completions.add(p.chosenIds());
        }
        for (PreferencePair p : batch) {
            prompts.add(p.promptIds());
            completions.add(p.rejectedIds());
        }
        CompletionLogProbs logps = CompletionLogProbs.compute(model, scope, prompts, completions);
        NDArray sums = logps.sums();
        double[] refChosen = new double[b];
        double[] refRejected = new double[b];
        for (int i = 0; i < b; i++) {
            refChosen[i] = batch.get(i).refChosenLogp();
            refRejected[i] = batch.get(i).refRejectedLogp();
        }
        NDArray all = sums;
        double[] lossRefChosen = refChosen;
        double[] lossRefRejected = refRejected;
        if (loss.averagesLogProbs()) {
            // TRL's IPO divides policy and reference log-probs alike by the completion length, in the loss only.
            float[] lengths = new float[2 * b];
            for (int i = 0; i < 2 * b; i++) {
                lengths[i] = logps.counts()[i];
            }
            all = sums.div(scope.create(lengths).toType(sums.getDataType(), false));
            lossRefChosen = new double[b];
            lossRefRejected = new double[b];
            for (int i = 0; i < b; i++) {
                lossRefChosen[i] = refChosen[i] / batch.get(i).chosenIds().length;
                lossRefRejected[i] = refRejected[i] / batch.get(i).rejectedIds().length;
            }
        }
        DpoLossOutput out = loss.compute(all.get(new NDIndex("0:" + b)), all.get(new NDIndex(b + ":")),
                lossRefChosen, lossRefRejected);
        // Metrics as TRL 1.16 logs them: summed log-probs and rewards beta * (policy sum - reference sum).
        double[] policy = sums.toType(DataType.FLOAT64, false).toDoubleArray();
        double beta = loss.beta();
        for (int i = 0; i < b; i++) {
            double rc = beta * (policy[i] - refChosen[i]);
            double rr = beta * (policy[b + i] - refRejected[i]);
            metrics.add("rewards/chosen", rc, 1);
            metrics.add("rewards/rejected", rr, 1);
            metrics.add("rewards/accuracies", rc > rr ? 1 : 0, 1);
            metrics.add("rewards/margins", rc - rr, 1);
            metrics.add("logps/chosen", policy[i], 1);
            metrics.add("logps/rejected", policy[b + i], 1);
        }
        return out.losses().sum().div(Scalars.of(scope, normalizer));
    }

    @Override
    public long tokens(PreferencePair example) {
        return example.tokenCount();
    }
}
