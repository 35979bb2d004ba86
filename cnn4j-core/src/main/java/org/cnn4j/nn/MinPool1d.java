package org.cnn4j.nn;

/**
 * Minimum over each window (the mirror of MaxPool1d, which PyTorch and Keras lack): padded cells never win, the gradient flows to the first minimum, ties broken as max pooling breaks them. Input [N, C, L].
 *
 * @see PoolNd for the options and the output-size formula
 */
public final class MinPool1d extends PoolNd {
    /** Window {@code kernel} along every axis; stride = kernel, no padding. */
    public MinPool1d(int kernel) {
        this(builder(kernel));
    }

    public MinPool1d(int kernel, int stride) {
        this(builder(kernel).stride(stride));
    }

    public MinPool1d(int kernel, int stride, int padding) {
        this(builder(kernel).stride(stride).padding(padding));
    }

    private MinPool1d(Builder<MinPool1d> b) {
        super(b);
    }

    /** A builder for the other options; kernel: one size for every axis or one per axis. */
    public static Builder<MinPool1d> builder(int... kernel) {
        return new Builder<>(Kind.MIN, 1, MinPool1d::new, kernel);
    }
}
