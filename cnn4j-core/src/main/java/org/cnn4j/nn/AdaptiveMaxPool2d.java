package org.cnn4j.nn;

/**
 * Adaptive maximum pooling to a fixed output size (PyTorch's AdaptiveMaxPool2d); input [N, C, H, W]. Windows
 * {@code [floor(i*I/O), ceil((i+1)*I/O))} per axis, the gradient flowing to the first maximum of each.
 *
 * @see AdaptivePoolNd
 */
public final class AdaptiveMaxPool2d extends AdaptivePoolNd {
    /** The same output size along every spatial axis. */
    public AdaptiveMaxPool2d(int outputSize) {
        super(true, 2, outputSize);
    }

    public AdaptiveMaxPool2d(int outH, int outW) {
        super(true, 2, outH, outW);
    }
}
