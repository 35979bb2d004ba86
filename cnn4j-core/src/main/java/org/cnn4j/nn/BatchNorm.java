package org.cnn4j.nn;

import org.cnn4j.autograd.ops.BatchNormOp;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;

/**
 * Batch normalisation over the channel dimension (dimension 1). In training it normalises with the
 * batch's mean and biased variance and updates running averages ({@code running = (1 - momentum) *
 * running + momentum * batch}, unbiased variance); in evaluation it uses the running averages.
 * {@link BatchNorm1d} takes [N, C] or [N, C, L]; {@link BatchNorm2d} takes [N, C, H, W].
 */
public abstract sealed class BatchNorm extends Module permits BatchNorm1d, BatchNorm2d {
    private final int numFeatures;
    private final float eps, momentum;
    private final Parameter weight, bias;
    private final Tensor runningMean, runningVar, numBatchesTracked;
    private final int[] allowedRanks;

    protected BatchNorm(int numFeatures, float eps, float momentum, int... allowedRanks) {
        if (numFeatures <= 0) throw new IllegalArgumentException(getClass().getSimpleName()
                + ": num_features must be positive. Received: " + numFeatures);
        if (!(eps > 0)) throw new IllegalArgumentException(getClass().getSimpleName() + ": eps must be > 0. Received: " + eps);
        if (!(momentum >= 0 && momentum <= 1)) throw new IllegalArgumentException(getClass().getSimpleName()
                + ": momentum must be in [0, 1]. Received: " + momentum);
        this.numFeatures = numFeatures;
        this.eps = eps;
        this.momentum = momentum;
        this.allowedRanks = allowedRanks;
        weight = registerParameter("weight", Parameter.of(Tensor.ones(numFeatures)));
        bias = registerParameter("bias", Parameter.of(Tensor.zeros(numFeatures)));
        runningMean = registerBuffer("running_mean", Tensor.zeros(numFeatures));
        runningVar = registerBuffer("running_var", Tensor.ones(numFeatures));
        numBatchesTracked = registerBuffer("num_batches_tracked", Tensor.zeros());
    }

    public Tensor runningMean() {
        return runningMean;
    }

    public Tensor runningVar() {
        return runningVar;
    }

    public Parameter weight() {
        return weight;
    }

    public Parameter bias() {
        return bias;
    }

    @Override
    public Tensor forward(Tensor input) {
        return normalize(input, false);
    }

    /**
     * {@code relu.call(this.call(input))} as one fused op (one pass over the data instead of two, in
     * both directions) when no forward hook observes either module; otherwise the two plain calls, so
     * summaries and feature-map tools still see both layers. {@link Sequential} and the zoo use it.
     */
    public Tensor callWithRelu(ReLU relu, Tensor input) {
        if (hasForwardHooks() || relu.hasForwardHooks()) return relu.call(call(input));
        return normalize(input, true);
    }

    private Tensor normalize(Tensor input, boolean relu) {
        int[] s = input.shape();
        boolean rankOk = false;
        for (int r : allowedRanks) rankOk |= s.length == r;
        if (!rankOk || s[1] != numFeatures)
            throw shapeError("input " + Shape.str(s) + " does not match " + expectedShape());
        if (isTraining()) {
            if (input.numel() / numFeatures <= 1)
                throw shapeError("training needs more than one value per channel, got input " + Shape.str(s));
            numBatchesTracked.data()[0] += 1;
            return BatchNormOp.train(input, weight, bias, runningMean.data(), runningVar.data(), momentum, eps, relu);
        }
        return BatchNormOp.eval(input, weight, bias, runningMean.data(), runningVar.data(), eps, relu);
    }

    private String expectedShape() {
        return allowedRanks.length == 1 ? "[N, " + numFeatures + ", H, W]" : "[N, " + numFeatures + "] or [N, " + numFeatures + ", L]";
    }

    @Override
    public String describe() {
        return getClass().getSimpleName() + " " + numFeatures + (eps != 1e-5f ? ", eps " + eps : "")
                + (momentum != 0.1f ? ", momentum " + momentum : "");
    }
}
