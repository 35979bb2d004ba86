package org.cnn4j.nn;

import org.cnn4j.autograd.ops.GroupNormOp;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;

/**
 * Group normalisation (PyTorch's GroupNorm) of [N, C, *] input: the C channels are split into
 * {@code num_groups} groups of consecutive channels, each sample's group is normalised with the mean and
 * biased variance of its values, then, with {@code affine} (default), each channel is scaled and shifted
 * by a learnable weight and bias of C elements. The same in training and evaluation. num_groups = 1 is
 * a layer norm over (C, *) with per-channel affine; num_groups = C is instance normalisation.
 */
public final class GroupNorm extends Module {
    private final int numGroups, numChannels;
    private final float eps;
    private final Parameter weight, bias;

    /** eps 1e-5, affine, as PyTorch. */
    public GroupNorm(int numGroups, int numChannels) {
        this(numGroups, numChannels, 1e-5f, true);
    }

    public GroupNorm(int numGroups, int numChannels, float eps, boolean affine) {
        if (numGroups <= 0)
            throw new IllegalArgumentException("GroupNorm: num_groups must be positive. Received: num_groups=" + numGroups);
        if (numChannels <= 0)
            throw new IllegalArgumentException("GroupNorm: num_channels must be positive. Received: num_channels=" + numChannels);
        if (numChannels % numGroups != 0)
            throw new IllegalArgumentException("GroupNorm: num_channels must be divisible by num_groups. Received: num_channels="
                    + numChannels + ", num_groups=" + numGroups);
        if (!(eps > 0) || !Float.isFinite(eps))
            throw new IllegalArgumentException("GroupNorm: eps must be a finite number > 0. Received: eps=" + eps);
        this.numGroups = numGroups;
        this.numChannels = numChannels;
        this.eps = eps;
        weight = affine ? registerParameter("weight", Parameter.of(Tensor.ones(numChannels))) : null;
        bias = affine ? registerParameter("bias", Parameter.of(Tensor.zeros(numChannels))) : null;
    }

    public int numGroups() {
        return numGroups;
    }

    public int numChannels() {
        return numChannels;
    }

    /** Null without affine. */
    public Parameter weight() {
        return weight;
    }

    /** Null without affine. */
    public Parameter bias() {
        return bias;
    }

    @Override
    public Tensor forward(Tensor input) {
        int[] s = input.shape();
        if (s.length < 2 || s[1] != numChannels)
            throw shapeError("input " + Shape.str(s) + " does not match [N, " + numChannels + ", *] (rank >= 2, "
                    + numChannels + " channels in dimension 1)");
        return GroupNormOp.apply(input, numGroups, weight, bias, eps);
    }

    @Override
    public String describe() {
        return "GroupNorm " + numGroups + ", " + numChannels + (eps != 1e-5f ? ", eps " + eps : "")
                + (weight == null ? ", affine False" : "");
    }
}
