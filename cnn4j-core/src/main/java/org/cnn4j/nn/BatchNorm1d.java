package org.cnn4j.nn;

/**
 * Batch normalisation of [N, C] or [N, C, L] input (PyTorch's BatchNorm1d); see {@link BatchNorm} for
 * the options. Defaults as PyTorch: eps 1e-5, momentum 0.1, affine, tracking running statistics.
 */
public final class BatchNorm1d extends BatchNorm {
    public BatchNorm1d(int numFeatures) {
        this(numFeatures, 1e-5f, 0.1f);
    }

    public BatchNorm1d(int numFeatures, float eps, float momentum) {
        this(numFeatures, eps, momentum, true, true);
    }

    /**
     * All of PyTorch's options, in its order: {@code momentum} null gives a cumulative moving average;
     * {@code affine} false drops weight and bias; {@code trackRunningStats} false drops the running
     * statistics (batch statistics are then used in evaluation too).
     */
    public BatchNorm1d(int numFeatures, float eps, Float momentum, boolean affine, boolean trackRunningStats) {
        super(numFeatures, eps, momentum, affine, trackRunningStats, 2, 3);
    }
}
