package org.cnn4j.nn;

/**
 * Maximum over each window (PyTorch's MaxPool3d); padded cells never win, the gradient flows to the first maximum. Input [N, C, D, H, W].
 *
 * @see PoolNd for the options and the output-size formula
 */
public final class MaxPool3d extends PoolNd {
    /** Window {@code kernel} along every axis; stride = kernel, no padding. */
    public MaxPool3d(int kernel) {
        this(builder(kernel));
    }

    public MaxPool3d(int kernel, int stride) {
        this(builder(kernel).stride(stride));
    }

    public MaxPool3d(int kernel, int stride, int padding) {
        this(builder(kernel).stride(stride).padding(padding));
    }

    private MaxPool3d(Builder<MaxPool3d> b) {
        super(b);
    }

    /** A builder for the other options; kernel: one size for every axis or one per axis. */
    public static Builder<MaxPool3d> builder(int... kernel) {
        return new Builder<>(Kind.MAX, 3, MaxPool3d::new, kernel);
    }
}
