package org.cnn4j.nn;

/**
 * Adaptive mean pooling to a fixed output size (PyTorch's AdaptiveAvgPool3d); input [N, C, D, H, W]. Windows
 * {@code [floor(i*I/O), ceil((i+1)*I/O))} per axis.
 *
 * @see AdaptivePoolNd
 */
public final class AdaptiveAvgPool3d extends AdaptivePoolNd {
    /** The same output size along every spatial axis. */
    public AdaptiveAvgPool3d(int outputSize) {
        super(false, 3, outputSize);
    }

    public AdaptiveAvgPool3d(int outD, int outH, int outW) {
        super(false, 3, outD, outH, outW);
    }
}
