package dev.tpo.model.generate;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;

/**
 * Picks next tokens from logits: temperature, top-k and top-p filtering, then inverse-CDF sampling in vocabulary
 * order with one uniform number per row that the caller draws from the row's own seeded generator. Both
 * implementations keep the same tokens (top-p keeps a token when the mass of the more likely tokens is below p, as
 * transformers' {@code TopPLogitsWarper} does) and walk the same CDF, so for the same logits and uniforms they pick
 * the same token except where float rounding puts a uniform exactly on a boundary. Both, greedy included, reject a
 * row of logits that is not finite with {@link dev.tpo.model.NonFiniteLogitsException} ({@link FiniteLogits}).
 */
public interface Sampler {

    /**
     * @param logits   [N, V], one row per sample
     * @param uniforms N numbers in (0, 1], ignored when greedy
     * @return N token ids
     */
    long[] next(NDArray logits, double[] uniforms);

    /**
     * Sampling where the logits are: on the CPU they are already host memory, so the sampler reads them in place
     * and filters each row in a few linear passes; on an accelerator tensor ops keep the logits on the device and
     * only the N sampled ids come back.
     */
    static Sampler forDevice(SamplingParams params, Device device) {
        return Device.cpu().equals(device) ? new HostSampler(params) : new DeviceSampler(params);
    }
}
