package org.cnn4j.nn;

/**
 * Minimum over each window (the mirror of MaxPool3d, which PyTorch and Keras lack): padded cells never win, the gradient flows to the first minimum, ties broken as max pooling breaks them. Input [N, C, D, H, W].
 *
 * @see PoolNd for the options and the output-size formula
 */
public final class MinPool3d extends PoolNd {
    /** Window {@code kernel} along every axis; stride = kernel, no padding. */
    public MinPool3d(int kernel) {
        this(builder(kernel));
    }

    public MinPool3d(int kernel, int stride) {
        this(builder(kernel).stride(stride));
    }

    public MinPool3d(int kernel, int stride, int padding) {
        this(builder(kernel).stride(stride).padding(padding));
    }

    private MinPool3d(Builder<MinPool3d> b) {
        super(b);
    }

    /** A builder for the other options; kernel: one size for every axis or one per axis. */
    public static Builder<MinPool3d> builder(int... kernel) {
        return new Builder<>(Kind.MIN, 3, MinPool3d::new, kernel);
    }
}
