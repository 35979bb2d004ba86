package org.cnn4j.data.transforms;

import java.util.SplittableRandom;

/**
 * Keras' {@code Rescaling(scale, offset)} and ImageDataGenerator's {@code rescale}: x * scale + offset.
 * {@code new Rescale(1 / 255f)} turns 0..255 pixels into 0..1 (the built-in datasets already give 0..1).
 */
public final class Rescale implements Transform {
    private final float scale, offset;

    public Rescale(float scale) {
        this(scale, 0f);
    }

    public Rescale(float scale, float offset) {
        if (!Float.isFinite(scale) || !Float.isFinite(offset))
            throw new IllegalArgumentException("Rescale scale and offset must be finite. Received: " + scale + ", " + offset);
        this.scale = scale;
        this.offset = offset;
    }

    @Override
    public Image apply(Image image, SplittableRandom rng) {
        float[] x = image.data(), out = new float[x.length];
        for (int i = 0; i < x.length; i++) out[i] = x[i] * scale + offset;
        return new Image(image.channels(), image.height(), image.width(), out);
    }

    @Override
    public String toString() {
        return "Rescale(" + scale + (offset != 0 ? ", " + offset : "") + ")";
    }
}
