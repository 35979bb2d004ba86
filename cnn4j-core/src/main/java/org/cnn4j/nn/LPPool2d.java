package org.cnn4j.nn;

/**
 * Power-average pooling (PyTorch's LPPool2d): {@code y = (sum over the window of x^p)^(1/p)}; p = 1 is sum
 * pooling, large p approaches max pooling. No padding; in ceil mode the last, partial window's sum is scaled
 * by (window size / cells inside the input), as PyTorch does. Input [N, C, H, W]. For p other than an integer
 * the input should be non-negative (x^p is NaN otherwise, as in PyTorch).
 *
 * @see PoolNd for the options and the output-size formula
 */
public final class LPPool2d extends PoolNd {
    /** Norm p, window {@code kernel} along every axis; stride = kernel. */
    public LPPool2d(double normType, int kernel) {
        this(builder(normType, kernel));
    }

    public LPPool2d(double normType, int kernel, int stride) {
        this(builder(normType, kernel).stride(stride));
    }

    private LPPool2d(Builder<LPPool2d> b) {
        super(b);
    }

    /** A builder for the other options (stride, ceil mode); kernel: one size for every axis or one per axis. */
    public static Builder<LPPool2d> builder(double normType, int... kernel) {
        return new Builder<LPPool2d>(Kind.LP, 2, LPPool2d::new, kernel).normType(normType);
    }
}
