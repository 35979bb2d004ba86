package org.cnn4j.nn;

/**
 * Adaptive maximum pooling to a fixed output size (PyTorch's AdaptiveMaxPool3d); input [N, C, D, H, W]. Windows
 * {@code [floor(i*I/O), ceil((i+1)*I/O))} per axis, the gradient flowing to the first maximum of each.
 *
 * @see AdaptivePoolNd
 */
public final class AdaptiveMaxPool3d extends AdaptivePoolNd {
    /** The same output size along every spatial axis. */
    public AdaptiveMaxPool3d(int outputSize) {
        super(true, 3, outputSize);
    }

    public AdaptiveMaxPool3d(int outD, int outH, int outW) {
        super(true, 3, outD, outH, outW);
    }
}
