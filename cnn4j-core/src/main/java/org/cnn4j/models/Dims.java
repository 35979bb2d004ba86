package org.cnn4j.models;

/**
 * Tracks a feature map's height and width through a model's layers while it is being built, with
 * PyTorch's floored arithmetic {@code O = floor((I - F + 2P) / S) + 1}, so a model can size its
 * classifier for any input and reject an input it cannot take with a message that names the layer and
 * the numbers (instead of failing later, inside a forward pass).
 */
final class Dims {
    private final String model;
    private final int inH, inW;
    private int h, w;

    Dims(String model, ModelSpec spec) {
        this.model = model;
        this.inH = h = spec.height();
        this.inW = w = spec.width();
    }

    int h() {
        return h;
    }

    int w() {
        return w;
    }

    /** Convolution or pooling window {@code k}, stride {@code s}, padding {@code p} on both axes. */
    Dims window(String layer, int k, int s, int p) {
        h = axis(layer, "H", h, k, s, p);
        w = axis(layer, "W", w, k, s, p);
        return this;
    }

    private int axis(String layer, String axis, int in, int k, int s, int p) {
        int span = in - k + 2 * p;
        if (span < 0)
            throw new IllegalArgumentException(model + " cannot take a " + inH + "x" + inW + " input: at " + layer + " the "
                    + axis + " size is " + in + ", smaller than the window: " + axis + " = (" + in + " - " + k + " + 2*" + p
                    + ")/" + s + " + 1 < 1; use a larger input");
        return span / s + 1;
    }

    /** The number of features after flattening {@code channels} maps of the current size. */
    int flat(int channels) {
        return channels * h * w;
    }
}
