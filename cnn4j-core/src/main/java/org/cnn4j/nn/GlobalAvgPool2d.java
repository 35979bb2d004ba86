package org.cnn4j.nn;

/**
 * The mean over all spatial cells of each channel (Keras' GlobalAveragePooling2D,
 * channels first): input [N, C, H, W], output [N, C], or [N, C, 1, 1] with keepDims.
 *
 * @see GlobalPoolNd
 */
public final class GlobalAvgPool2d extends GlobalPoolNd {
    /** Output [N, C]. */
    public GlobalAvgPool2d() {
        this(false);
    }

    /** keepDims: output [N, C, 1, 1] instead of [N, C]. */
    public GlobalAvgPool2d(boolean keepDims) {
        super(false, 2, keepDims);
    }
}
