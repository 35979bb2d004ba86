package org.cnn4j.data.transforms;

import java.util.SplittableRandom;

/**
 * Per-image min-max scaling to [lo, hi] (default [0, 1]): lo + (x - min) * (hi - lo) / (max - min), over all
 * channels together; a constant image becomes lo.
 */
public final class MinMax implements Transform {
    private final float lo, hi;

    public MinMax() {
        this(0f, 1f);
    }

    public MinMax(float lo, float hi) {
        Check.range("MinMax range", lo, hi);
        this.lo = lo;
        this.hi = hi;
    }

    @Override
    public Image apply(Image image, SplittableRandom rng) {
        float[] x = image.data(), out = new float[x.length];
        float min = Float.POSITIVE_INFINITY, max = Float.NEGATIVE_INFINITY;
        for (float v : x) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        double k = max > min ? (double) (hi - lo) / ((double) max - min) : 0;
        for (int i = 0; i < x.length; i++) out[i] = (float) (lo + (x[i] - (double) min) * k);
        return new Image(image.channels(), image.height(), image.width(), out);
    }

    @Override
    public String toString() {
        return "MinMax(" + lo + ", " + hi + ")";
    }
}
