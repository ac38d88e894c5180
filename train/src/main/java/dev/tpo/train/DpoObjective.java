package dev.tpo.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import dev.tpo.model.CausalLm;
import dev.tpo.model.nn.Scalars;
import java.util.ArrayList;
import java.util.List;

/**
 * DPO on pairs with stored reference log-probs, the one implementation of TRL's {@code DPOTrainer}: chosen and
 * rejected rows go through one forward pass (TRL's concatenated_forward), the loss is TRL's {@code dpo_loss}, and
 * the reported metrics carry TRL's names.
 *
 * <p>With logits = (pi_c - pi_r) - (ref_c - ref_r), per pair: sigmoid (with label smoothing)
 * -(1-ls) logsigmoid(beta logits) - ls logsigmoid(-beta logits); ipo (logits - 1/(2 beta))^2; hinge
 * relu(1 - beta logits). Log-probs are summed over completion tokens, except that IPO averages them over the
 * completion length, for policy and reference alike, in the loss only (as TRL does). The metrics are as TRL 1.16
 * logs them for every loss type: summed log-probs and rewards beta * (policy sum - reference sum). Constants are
 * {@link Scalars}, which the graph can keep alive until backward.
 */
public final class DpoObjective implements TrainingObjective<PreferencePair> {
    private final double beta;
    private final DpoLossType type;
    private final double labelSmoothing;

    public DpoObjective(double beta, DpoLossType type, double labelSmoothing) {
        this.beta = beta;
        this.type = type;
        this.labelSmoothing = labelSmoothing;
    }

    public DpoObjective(DpoConfig config) {
        this(config.beta(), config.lossType(), config.labelSmoothing());
    }

    @Override
    public double normalizer(List<PreferencePair> stepExamples) {
        return stepExamples.size();
    }

    @Override
    public NDArray loss(
            CausalLm model, NDManager scope, List<PreferencePair> batch, double normalizer, MetricSums metrics) {
        List<int[]> prompts = new ArrayList<>(2 * batch.size());
        List<int[]> completions = new ArrayList<>(2 * batch.size());
        for (PreferencePair p : batch) {
            prompts.add(p.promptIds());
            completions.add(p.chosenIds());
        }
        for (PreferencePair p : batch) {
            prompts.add(p.promptIds());
            completions.add(p.rejectedIds());
        }
        return loss(scope, CompletionLogProbs.compute(model, scope, prompts, completions), batch, normalizer, metrics);
    }

    /**
     * The micro-batch's loss (summed over pairs, divided by {@code normalizer}) from the policy's log-probs, and
     * its metrics added to {@code metrics}; the metrics' one host copy of the policy sums is the only sync.
     *
     * @param logps the policy's log-probs of the chosen completions (rows 0..B-1) then the rejected ones
     */
    NDArray loss(
            NDManager scope,
            CompletionLogProbs logps,
            List<PreferencePair> batch,
            double normalizer,
            MetricSums metrics) {
        int b = batch.size();
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
        if (type == DpoLossType.IPO) {
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
        NDArray losses = pairLosses(
                all.get(new NDIndex("0:" + b)), all.get(new NDIndex(b + ":")), lossRefChosen, lossRefRejected);
        double[] policy = sums.toType(DataType.FLOAT64, false).toDoubleArray();
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
        return losses.sum().div(Scalars.of(scope, normalizer));
    }

    /**
     * TRL's {@code dpo_loss}: [B] differentiable per-pair losses.
     *
     * @param policyChosen   [B] policy log-probs of the chosen completions, as the loss takes them
     * @param policyRejected the same for the rejected completions
     * @param refChosen      reference log-probs of the chosen completions (constants), taken alike
     * @param refRejected    the same for the rejected completions
     */
    NDArray pairLosses(NDArray policyChosen, NDArray policyRejected, double[] refChosen, double[] refRejected) {
        int n = refChosen.length;
        double[] refRatio = new double[n];
        for (int i = 0; i < n; i++) {
            refRatio[i] = refChosen[i] - refRejected[i];
        }
        NDManager scope = policyChosen.getManager();
        NDArray ref = scope.create(refRatio).toType(policyChosen.getDataType(), false);
        NDArray logits = policyChosen.sub(policyRejected).sub(ref);
        return switch (type) {
            case SIGMOID -> {
                NDArray l =
                        logSigmoid(logits.mul(Scalars.of(scope, beta))).mul(Scalars.of(scope, -(1 - labelSmoothing)));
                yield labelSmoothing == 0
                        ? l
                        : l.sub(logSigmoid(logits.mul(Scalars.of(scope, -beta)))
                                .mul(Scalars.of(scope, labelSmoothing)));
            }
            case IPO -> logits.sub(Scalars.of(scope, 1.0 / (2 * beta))).square();
            case HINGE ->
                logits.mul(Scalars.of(scope, -beta)).add(Scalars.of(scope, 1.0)).maximum(Scalars.of(scope, 0.0));
        };
    }

    /** log sigmoid(x) = -(max(-x, 0) + log(1 + exp(-|x|))), finite for any x. */
    static NDArray logSigmoid(NDArray x) {
        NDArray zero = Scalars.of(x.getManager(), 0.0);
        NDArray one = Scalars.of(x.getManager(), 1.0);
        NDArray softplusOfNeg =
                x.neg().maximum(zero).add(x.abs().neg().exp().add(one).log());
        return softplusOfNeg.neg();
    }

    @Override
    public long tokens(PreferencePair example) {
        return example.tokenCount();
    }
}
