package org.cnn4j.nn;

/**
 * Average pooling to a fixed output size whatever the input size (PyTorch's AdaptiveAvgPool2d); input
 * [N, C, H, W]. {@code new AdaptiveAvgPool2d(1)} is global average pooling, one value per channel, keeping
 * the 1x1 spatial dimensions ({@link GlobalAvgPool2d} drops them, as Keras' GlobalAveragePooling2D).
 *
 * @see AdaptivePoolNd
 */
public final class AdaptiveAvgPool2d extends AdaptivePoolNd {
    /** The same output size along both axes. */
    public AdaptiveAvgPool2d(int outputSize) {
        super(false, 2, outputSize);
    }

    public AdaptiveAvgPool2d(int outH, int outW) {
        super(false, 2, outH, outW);
    }
}
