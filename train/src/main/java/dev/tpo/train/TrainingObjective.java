package dev.tpo.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.tpo.model.CausalLm;
import java.util.List;

/** What DPO and SFT differ in: the loss of a micro-batch. The loop around it is {@link TrainingLoop}. */
public interface TrainingObjective<E> {

    /**
     * The denominator that makes the step's loss a mean: DPO divides by the pairs in the optimiser step, SFT by
     * their completion tokens, so gradient accumulation gives the gradient of the whole effective batch.
     */
    double normalizer(List<E> stepExamples);

    /**
     * @param scope   per-micro-batch manager that owns every activation
     * @param metrics receives per-example metrics (TRL names)
     * @return the scalar (sum of this micro-batch's losses) / normalizer, differentiable
     */
    NDArray loss(CausalLm model, NDManager scope, List<E> microBatch, double normalizer, MetricSums metrics);

    long tokens(E example);
}
