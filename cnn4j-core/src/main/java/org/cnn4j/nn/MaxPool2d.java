package org.cnn4j.nn;

/**
 * Maximum over each window (PyTorch's MaxPool2d); padded cells never win, the gradient flows to the first maximum. Input [N, C, H, W].
 *
 * @see PoolNd for the options and the output-size formula
 */
public final class MaxPool2d extends PoolNd {
    /** Window {@code kernel} along every axis; stride = kernel, no padding. */
    public MaxPool2d(int kernel) {
        this(builder(kernel));
    }

    public MaxPool2d(int kernel, int stride) {
        this(builder(kernel).stride(stride));
    }

    public MaxPool2d(int kernel, int stride, int padding) {
        this(builder(kernel).stride(stride).padding(padding));
    }

    private MaxPool2d(Builder<MaxPool2d> b) {
        super(b);
    }

    /** A builder for the other options; kernel: one size for every axis or one per axis. */
    public static Builder<MaxPool2d> builder(int... kernel) {
        return new Builder<>(Kind.MAX, 2, MaxPool2d::new, kernel);
    }
}
