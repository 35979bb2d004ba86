package org.cnn4j.nn;

/**
 * Mean over each window (PyTorch's AvgPool1d): padded cells count in the divisor unless {@code countIncludePad(false)}; {@code divisorOverride} fixes the divisor. Input [N, C, L].
 *
 * @see PoolNd for the options and the output-size formula
 */
public final class AvgPool1d extends PoolNd {
    /** Window {@code kernel} along every axis; stride = kernel, no padding. */
    public AvgPool1d(int kernel) {
        this(builder(kernel));
    }

    public AvgPool1d(int kernel, int stride) {
        this(builder(kernel).stride(stride));
    }

    public AvgPool1d(int kernel, int stride, int padding) {
        this(builder(kernel).stride(stride).padding(padding));
    }

    private AvgPool1d(Builder<AvgPool1d> b) {
        super(b);
    }

    /** A builder for the other options; kernel: one size for every axis or one per axis. */
    public static Builder<AvgPool1d> builder(int... kernel) {
        return new Builder<>(Kind.AVG, 1, AvgPool1d::new, kernel);
    }
}
