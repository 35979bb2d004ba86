package org.cnn4j.nn;

import org.cnn4j.autograd.ops.BatchNormOp;
import org.cnn4j.kernels.Conv2dGeometry;
import org.cnn4j.kernels.ConvBatchNormGradient;
import org.cnn4j.kernels.NormKernels;
import org.cnn4j.kernels.PoolNdGeometry;
import org.cnn4j.nn.functional.Functional;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;

/**
 * Batch normalisation over the channel dimension (dimension 1), PyTorch's {@code _BatchNorm}:
 * {@link BatchNorm1d} takes [N, C] or [N, C, L], {@link BatchNorm2d} [N, C, H, W], {@link BatchNorm3d}
 * [N, C, D, H, W].
 *
 * <p>In training it normalises with the batch's mean and biased variance and, when tracking running
 * statistics, increments {@code num_batches_tracked} and updates {@code running = (1 - f) * running + f
 * * batch} (unbiased variance), with {@code f = momentum}, or {@code f = 1 / num_batches_tracked} (a
 * cumulative moving average) when momentum is null. In evaluation it uses the running statistics; a
 * layer that does not track them ({@code track_running_stats=False}) has no such buffers and always uses
 * the batch's statistics. With {@code affine=False} there is no weight or bias (and no such state-dict
 * entries). Options, parameter and buffer names follow PyTorch, so state dicts map one-to-one.
 *
 * <p>A following {@link ReLU} can be fused into the same pass ({@link #callWithRelu}).
 */
public abstract sealed class BatchNorm extends Module permits BatchNorm1d, BatchNorm2d, BatchNorm3d {
    private final int numFeatures;
    private final float eps;
    private final Float momentum;
    private final boolean affine, trackRunningStats;
    private final Parameter weight, bias;
    private final Tensor runningMean, runningVar, numBatchesTracked;
    private final int[] allowedRanks;

    /**
     * @param momentum the running averages' factor in [0, 1], or null for a cumulative moving average
     */
    protected BatchNorm(int numFeatures, float eps, Float momentum, boolean affine, boolean trackRunningStats,
                        int... allowedRanks) {
        String name = getClass().getSimpleName();
        if (numFeatures <= 0) throw new IllegalArgumentException(name + ": num_features must be positive. Received: num_features=" + numFeatures);
        if (!(eps > 0) || !Float.isFinite(eps)) throw new IllegalArgumentException(name + ": eps must be a finite number > 0. Received: eps=" + eps);
        if (momentum != null && !(momentum >= 0 && momentum <= 1)) throw new IllegalArgumentException(name
                + ": momentum must be in [0, 1], or null for a cumulative moving average. Received: momentum=" + momentum);
        this.numFeatures = numFeatures;
        this.eps = eps;
        this.momentum = momentum;
        this.affine = affine;
        this.trackRunningStats = trackRunningStats;
        this.allowedRanks = allowedRanks;
        weight = affine ? registerParameter("weight", Parameter.of(Tensor.ones(numFeatures))) : null;
        bias = affine ? registerParameter("bias", Parameter.of(Tensor.zeros(numFeatures))) : null;
        if (trackRunningStats) {
            runningMean = registerBuffer("running_mean", Tensor.zeros(numFeatures));
            runningVar = registerBuffer("running_var", Tensor.ones(numFeatures));
            numBatchesTracked = registerBuffer("num_batches_tracked", Tensor.zeros());
        } else {
            runningMean = runningVar = numBatchesTracked = null;
        }
    }

    public int numFeatures() {
        return numFeatures;
    }

    public float eps() {
        return eps;
    }

    /** The running averages' factor, or null for a cumulative moving average. */
    public Float momentum() {
        return momentum;
    }

    public boolean affine() {
        return affine;
    }

    public boolean trackRunningStats() {
        return trackRunningStats;
    }

    /** Null when not tracking running statistics. */
    public Tensor runningMean() {
        return runningMean;
    }

    /** Null when not tracking running statistics. */
    public Tensor runningVar() {
        return runningVar;
    }

    /** The number of training batches seen (a one-element tensor), null when not tracking. */
    public Tensor numBatchesTracked() {
        return numBatchesTracked;
    }

    /** Null when {@code affine} is false. */
    public Parameter weight() {
        return weight;
    }

    /** Null when {@code affine} is false. */
    public Parameter bias() {
        return bias;
    }

    /** Resets the running statistics to mean 0, variance 1 and no batches seen (PyTorch's reset_running_stats). */
    public void resetRunningStats() {
        if (!trackRunningStats) return;
        java.util.Arrays.fill(runningMean.data(), 0f);
        java.util.Arrays.fill(runningVar.data(), 1f);
        numBatchesTracked.data()[0] = 0f;
    }

    @Override
    public Tensor forward(Tensor input) {
        return normalize(input, false, false);
    }

    /**
     * {@code relu.call(this.call(input))} as one fused op (one pass over the data instead of two, in
     * both directions) when no forward hook observes either module; otherwise the two plain calls, so
     * summaries and feature-map tools still see both layers. {@link Sequential} and the zoo use it.
     */
    public Tensor callWithRelu(ReLU relu, Tensor input) {
        if (hasForwardHooks() || relu.hasForwardHooks()) return relu.call(call(input));
        return normalize(input, true, false);
    }

    /**
     * {@code relu.call(this.call(input).add(residual))}, a residual block's join, as one fused op (the normalised
     * values, the sum and the ReLU share one array and two passes, and the backward hands the residual its masked
     * gradient directly) when no forward hook observes either module and the residual has the input's shape;
     * otherwise the plain calls (which broadcast, or fail, as {@link Tensor#add} does). ResNet's blocks use it.
     */
    public Tensor callWithAddAndRelu(Tensor input, Tensor residual, ReLU relu) {
        if (hasForwardHooks() || relu.hasForwardHooks() || !java.util.Arrays.equals(residual.shape(), input.shape()))
            return relu.call(call(input).add(residual));
        return normalize(input, true, false, null, residual);
    }

    /**
     * {@code pool.call(relu.call(this.call(input)))} for a max pool as one fused op that never writes the full-size
     * activation: a 2x2 stride-2 pool by {@link BatchNormOp#reluMaxPool2x2}, other 2-D max pools whose planes suit
     * the kernels (ResNet's stem pool) by {@link BatchNormOp#reluMaxPool}. The plain calls when a hook observes any
     * of the three, the pool is another kind, the input is not [N, C, H, W] or the vector kernels are unavailable.
     * {@link Sequential} and ResNet use it.
     */
    public Tensor callWithReluAndPool(ReLU relu, PoolNd pool, Tensor input) {
        boolean pool2x2 = pool.isMaxPool2x2() && input.rank() == 4 && input.size(2) >= 2 && input.size(3) >= 2
                && NormKernels.supportsReluMaxPool2x2();
        // (the batch norm's own shape errors come first, as when the layers run apart)
        PoolNdGeometry poolGeometry = pool2x2 || pool.hasForwardHooks() || input.rank() != 4 || input.size(1) != numFeatures
                ? null : pool.fusableMaxPoolGeometry(input.shape());
        if (pool.hasForwardHooks() || !pool2x2 && poolGeometry == null) return pool.call(callWithRelu(relu, input));
        if (hasForwardHooks() || relu.hasForwardHooks()) return pool.call(relu.call(call(input)));
        return normalize(input, true, pool2x2, poolGeometry);
    }

    /**
     * {@code pool.call(relu.call(this.call(conv.call(input))))} for a 2x2 stride-2 max pool. In training (batch
     * statistics) with an input that needs no gradient (a network's first layer), a plain 2-D convolution with a
     * small patch and no hooks on the four layers, it is one op whose backward never writes the full-size
     * gradient of the convolution's output ({@link BatchNormOp#convReluMaxPool2x2Train}); otherwise the
     * convolution, then {@link #callWithReluAndPool}. {@link Sequential} uses it.
     */
    public Tensor callConvWithReluAndPool(Conv2d conv, ReLU relu, PoolNd pool, Tensor input) {
        Conv2dGeometry g = fusableFirstConv(conv, relu, pool, input);
        if (g == null) return callWithReluAndPool(relu, pool, conv.call(input));
        if (conv.outChannels() != numFeatures)
            throw shapeError("input " + Shape.str(new int[] {g.batch(), g.outChannels(), g.outH(), g.outW()})
                    + " does not match " + expectedShape());
        boolean update = isTraining() && trackRunningStats;
        float factor = update ? countBatch() : 0f;
        return BatchNormOp.convReluMaxPool2x2Train(input, conv.weight(), conv.bias(), g, weight, bias,
                update ? runningMean.data() : null, update ? runningVar.data() : null, factor, eps);
    }

    /** The convolution's geometry when {@link #callConvWithReluAndPool} can run as one op, else null. */
    private Conv2dGeometry fusableFirstConv(Conv2d conv, ReLU relu, PoolNd pool, Tensor input) {
        boolean batchStats = isTraining() || !trackRunningStats;
        if (!batchStats || input.requiresGrad() || !pool.isMaxPool2x2() || conv.hasForwardHooks() || hasForwardHooks()
                || relu.hasForwardHooks() || pool.hasForwardHooks())
            return null;
        Conv2dGeometry g = Functional.plainConv2dGeometry(input, conv.weight(), conv.options());
        return g != null && g.batch() * g.outH() * g.outW() > 1 && ConvBatchNormGradient.applies(g) ? g : null;
    }

    /** Counts one more training batch and returns the running statistics' update factor (momentum, or 1/count). */
    private float countBatch() {
        numBatchesTracked.data()[0] += 1;
        return momentum != null ? momentum : 1f / numBatchesTracked.data()[0];
    }

    private Tensor normalize(Tensor input, boolean relu, boolean maxPool2x2) {
        return normalize(input, relu, maxPool2x2, null, null);
    }

    private Tensor normalize(Tensor input, boolean relu, boolean maxPool2x2, PoolNdGeometry pool) {
        return normalize(input, relu, maxPool2x2, pool, null);
    }

    /**
     * The batch norm, then the fused tail: the ReLU, and the 2x2 max pool or the max pool of {@code pool} (may be
     * null), or a residual added before the ReLU (may be null).
     */
    private Tensor normalize(Tensor input, boolean relu, boolean maxPool2x2, PoolNdGeometry pool, Tensor residual) {
        int[] s = input.shape();
        boolean rankOk = false;
        for (int r : allowedRanks) rankOk |= s.length == r;
        if (!rankOk || s[1] != numFeatures)
            throw shapeError("input " + Shape.str(s) + " does not match " + expectedShape());
        boolean batchStats = isTraining() || !trackRunningStats;
        if (!batchStats && maxPool2x2)
            return BatchNormOp.reluMaxPool2x2(input, weight, bias, false, runningMean.data(), runningVar.data(), 0f, eps);
        if (!batchStats && pool != null)
            return BatchNormOp.reluMaxPool(input, pool, weight, bias, false, runningMean.data(), runningVar.data(), 0f, eps);
        if (!batchStats)
            return BatchNormOp.eval(input, weight, bias, runningMean.data(), runningVar.data(), eps, relu, residual);
        if (input.numel() / numFeatures <= 1)
            throw shapeError("expected more than 1 value per channel when " + (isTraining() ? "training" : "using batch statistics")
                    + ", got input " + Shape.str(s));
        boolean update = isTraining() && trackRunningStats;
        float factor = update ? countBatch() : 0f;
        if (maxPool2x2)
            return BatchNormOp.reluMaxPool2x2(input, weight, bias, true, update ? runningMean.data() : null,
                    update ? runningVar.data() : null, factor, eps);
        if (pool != null)
            return BatchNormOp.reluMaxPool(input, pool, weight, bias, true, update ? runningMean.data() : null,
                    update ? runningVar.data() : null, factor, eps);
        return BatchNormOp.train(input, weight, bias, update ? runningMean.data() : null, update ? runningVar.data() : null,
                factor, eps, relu, residual);
    }

    private String expectedShape() {
        return switch (allowedRanks[0]) {
            case 2 -> "[N, " + numFeatures + "] or [N, " + numFeatures + ", L]";
            case 5 -> "[N, " + numFeatures + ", D, H, W]";
            default -> "[N, " + numFeatures + ", H, W]";
        };
    }

    @Override
    public String describe() {
        return getClass().getSimpleName() + " " + numFeatures + (eps != 1e-5f ? ", eps " + eps : "")
                + (momentum == null ? ", momentum None" : momentum != 0.1f ? ", momentum " + momentum : "")
                + (affine ? "" : ", affine False") + (trackRunningStats ? "" : ", track_running_stats False");
    }
}
