package org.cnn4j.nn;

/**
 * Adaptive mean pooling to a fixed output size (PyTorch's AdaptiveAvgPool1d); input [N, C, L]. Windows
 * {@code [floor(i*I/O), ceil((i+1)*I/O))} per axis.
 *
 * @see AdaptivePoolNd
 */
public final class AdaptiveAvgPool1d extends AdaptivePoolNd {
    /** The same output size along every spatial axis. */
    public AdaptiveAvgPool1d(int outputSize) {
        super(false, 1, outputSize);
    }
}
