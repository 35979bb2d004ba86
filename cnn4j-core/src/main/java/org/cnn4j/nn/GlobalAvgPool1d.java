package org.cnn4j.nn;

/**
 * The mean over all spatial cells of each channel (Keras' GlobalAveragePooling1D,
 * channels first): input [N, C, L], output [N, C], or [N, C, 1] with keepDims.
 *
 * @see GlobalPoolNd
 */
public final class GlobalAvgPool1d extends GlobalPoolNd {
    /** Output [N, C]. */
    public GlobalAvgPool1d() {
        this(false);
    }

    /** keepDims: output [N, C, 1] instead of [N, C]. */
    public GlobalAvgPool1d(boolean keepDims) {
        super(false, 1, keepDims);
    }
}
