package dev.tpo.train;

import ai.djl.ndarray.NDArray;

/**
 * Per-pair DPO results of one micro-batch.
 *
 * @param losses          [B] differentiable per-pair losses
 * @param chosenRewards   beta * (policy - reference) chosen log-prob, as TRL reports them (no gradient use)
 * @param rejectedRewards the same for the rejected completions
 * @param policyChosen    the policy's chosen log-probs as the loss saw them (averaged for IPO)
 * @param policyRejected  the same for rejected
 */
public record DpoLossOutput(NDArray losses, double[] chosenRewards, double[] rejectedRewards, double[] policyChosen,
                            double[] policyRejected) {
}
