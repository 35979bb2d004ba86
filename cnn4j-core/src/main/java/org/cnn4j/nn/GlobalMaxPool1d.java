package org.cnn4j.nn;

/**
 * The maximum over all spatial cells of each channel (Keras' GlobalMaxPooling1D,
 * channels first): input [N, C, L], output [N, C], or [N, C, 1] with keepDims.
 *
 * @see GlobalPoolNd
 */
public final class GlobalMaxPool1d extends GlobalPoolNd {
    /** Output [N, C]. */
    public GlobalMaxPool1d() {
        this(false);
    }

    /** keepDims: output [N, C, 1] instead of [N, C]. */
    public GlobalMaxPool1d(boolean keepDims) {
        super(true, 1, keepDims);
    }
}
