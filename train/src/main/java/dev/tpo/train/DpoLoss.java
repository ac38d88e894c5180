package dev.tpo.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.tpo.model.nn.Scalars;

/**
 * TRL's {@code DPOTrainer.dpo_loss} for sigmoid (with label smoothing), ipo and hinge. With
 * logits = (pi_c - pi_r) - (ref_c - ref_r):
 * sigmoid: -(1-ls) logsigmoid(beta logits) - ls logsigmoid(-beta logits);
 * ipo: (logits - 1/(2 beta))^2; hinge: relu(1 - beta logits).
 * The caller passes per-sequence log-probs: summed over completion tokens, or for IPO averaged over them (TRL
 * divides by the completion length for IPO, for policy and reference alike). The rewards it reports are
 * beta * (policy - reference) of what it was given; TRL 1.16 logs them from the sums for every loss type. Constants
 * are {@link Scalars}, which the graph can keep alive until backward.
 */
public final class DpoLoss {
    private final double beta;
    private final DpoLossType type;
    private final double labelSmoothing;

    public DpoLoss(double beta, DpoLossType type, double labelSmoothing) {
        this.beta = beta;
        this.type = type;
        this.labelSmoothing = labelSmoothing;
    }

    public DpoLoss(DpoConfig config) {
        this(config.beta(), config.lossType(), config.labelSmoothing());
    }

    public double beta() {
        return beta;
    }

    public boolean averagesLogProbs() {
        return type == DpoLossType.IPO;
    }

    /**
     * @param policyChosen   [B] differentiable policy log-probs of the chosen completions
     * @param policyRejected [B] the same for the rejected completions
     * @param refChosen      reference log-probs of the chosen completions (constants)
     * @param refRejected    the same for the rejected completions
     */
    public DpoLossOutput compute(NDArray policyChosen, NDArray policyRejected, double[] refChosen,
                                 double[] refRejected) {
        int n = refChosen.length;
        double[] refRatio = new double[n];
        for (int i = 0; i < n; i++) {
            refRatio[i] = refChosen[i] - refRejected[i];
        }
        NDManager scope = policyChosen.getManager();
        NDArray ref = scope.create(refRatio).toType(policyChosen.getDataType(), false);
        NDArray logits = policyChosen.sub(policyRejected).sub(ref);
        NDArray losses = switch (type) {
            case SIGMOID -> {
                NDArray l = logSigmoid(logits.mul(Scalars.of(scope, beta)))
                        .mul(Scalars.of(scope, -(1 - labelSmoothing)));
                yield labelSmoothing == 0 ? l : l.sub(logSigmoid(logits.mul(Scalars.of(scope, -beta)))
                        .mul(Scalars.of(scope, labelSmoothing)));
            }
            case IPO -> logits.sub(Scalars.of(scope, 1.0 / (2 * beta))).square();
            case HINGE -> logits.mul(Scalars.of(scope, -beta)).add(Scalars.of(scope, 1.0))
                    .maximum(Scalars.of(scope, 0.0));
        };
        double[] pc = policyChosen.toType(ai.djl.ndarray.types.DataType.FLOAT64, false).toDoubleArray();
        double[] pr = policyRejected.toType(ai.djl.ndarray.types.DataType.FLOAT64, false).toDoubleArray();
        double[] rc = new double[n];
        double[] rr = new double[n];
        for (int i = 0; i < n; i++) {
            rc[i] = beta * (pc[i] - refChosen[i]);
            rr[i] = beta * (pr[i] - refRejected[i]);
        }
        return new DpoLossOutput(losses, rc, rr, pc, pr);
    }

    /** log sigmoid(x) = -(max(-x, 0) + log(1 + exp(-|x|))), finite for any x. */
    static NDArray logSigmoid(NDArray x) {
        NDArray zero = Scalars.of(x.getManager(), 0.0);
        NDArray one = Scalars.of(x.getManager(), 1.0);
        NDArray softplusOfNeg = x.neg().maximum(zero).add(x.abs().neg().exp().add(one).log());
        return softplusOfNeg.neg();
    }
}
