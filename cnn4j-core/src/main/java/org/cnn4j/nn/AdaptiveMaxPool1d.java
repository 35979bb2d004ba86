package org.cnn4j.nn;

/**
 * Adaptive maximum pooling to a fixed output size (PyTorch's AdaptiveMaxPool1d); input [N, C, L]. Windows
 * {@code [floor(i*I/O), ceil((i+1)*I/O))} per axis, the gradient flowing to the first maximum of each.
 *
 * @see AdaptivePoolNd
 */
public final class AdaptiveMaxPool1d extends AdaptivePoolNd {
    /** The same output size along every spatial axis. */
    public AdaptiveMaxPool1d(int outputSize) {
        super(true, 1, outputSize);
    }
}
