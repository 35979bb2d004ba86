package org.cnn4j.nn;

/**
 * The maximum over all spatial cells of each channel (Keras' GlobalMaxPooling3D,
 * channels first): input [N, C, D, H, W], output [N, C], or [N, C, 1, 1, 1] with keepDims.
 *
 * @see GlobalPoolNd
 */
public final class GlobalMaxPool3d extends GlobalPoolNd {
    /** Output [N, C]. */
    public GlobalMaxPool3d() {
        this(false);
    }

    /** keepDims: output [N, C, 1, 1, 1] instead of [N, C]. */
    public GlobalMaxPool3d(boolean keepDims) {
        super(true, 3, keepDims);
    }
}
