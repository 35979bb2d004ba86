package org.cnn4j.nn;

/**
 * Maximum over each window (PyTorch's MaxPool1d); padded cells never win, the gradient flows to the first maximum. Input [N, C, L].
 *
 * @see PoolNd for the options and the output-size formula
 */
public final class MaxPool1d extends PoolNd {
    /** Window {@code kernel} along every axis; stride = kernel, no padding. */
    public MaxPool1d(int kernel) {
        this(builder(kernel));
    }

    public MaxPool1d(int kernel, int stride) {
        this(builder(kernel).stride(stride));
    }

    public MaxPool1d(int kernel, int stride, int padding) {
        this(builder(kernel).stride(stride).padding(padding));
    }

    private MaxPool1d(Builder<MaxPool1d> b) {
        super(b);
    }

    /** A builder for the other options; kernel: one size for every axis or one per axis. */
    public static Builder<MaxPool1d> builder(int... kernel) {
        return new Builder<>(Kind.MAX, 1, MaxPool1d::new, kernel);
    }
}
