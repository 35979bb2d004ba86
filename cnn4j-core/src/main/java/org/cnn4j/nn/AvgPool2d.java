package org.cnn4j.nn;

/**
 * Mean over each window (PyTorch's AvgPool2d): padded cells count in the divisor unless {@code countIncludePad(false)}; {@code divisorOverride} fixes the divisor. Input [N, C, H, W].
 *
 * @see PoolNd for the options and the output-size formula
 */
public final class AvgPool2d extends PoolNd {
    /** Window {@code kernel} along every axis; stride = kernel, no padding. */
    public AvgPool2d(int kernel) {
        this(builder(kernel));
    }

    public AvgPool2d(int kernel, int stride) {
        this(builder(kernel).stride(stride));
    }

    public AvgPool2d(int kernel, int stride, int padding) {
        this(builder(kernel).stride(stride).padding(padding));
    }

    private AvgPool2d(Builder<AvgPool2d> b) {
        super(b);
    }

    /** A builder for the other options; kernel: one size for every axis or one per axis. */
    public static Builder<AvgPool2d> builder(int... kernel) {
        return new Builder<>(Kind.AVG, 2, AvgPool2d::new, kernel);
    }
}
