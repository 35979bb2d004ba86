package org.cnn4j.nn;

/**
 * The mean over all spatial cells of each channel (Keras' GlobalAveragePooling3D,
 * channels first): input [N, C, D, H, W], output [N, C], or [N, C, 1, 1, 1] with keepDims.
 *
 * @see GlobalPoolNd
 */
public final class GlobalAvgPool3d extends GlobalPoolNd {
    /** Output [N, C]. */
    public GlobalAvgPool3d() {
        this(false);
    }

    /** keepDims: output [N, C, 1, 1, 1] instead of [N, C]. */
    public GlobalAvgPool3d(boolean keepDims) {
        super(false, 3, keepDims);
    }
}
