package org.cnn4j.nn;

/**
 * The maximum over all spatial cells of each channel (Keras' GlobalMaxPooling2D,
 * channels first): input [N, C, H, W], output [N, C], or [N, C, 1, 1] with keepDims.
 *
 * @see GlobalPoolNd
 */
public final class GlobalMaxPool2d extends GlobalPoolNd {
    /** Output [N, C]. */
    public GlobalMaxPool2d() {
        this(false);
    }

    /** keepDims: output [N, C, 1, 1] instead of [N, C]. */
    public GlobalMaxPool2d(boolean keepDims) {
        super(true, 2, keepDims);
    }
}
