package org.cnn4j.data.transforms;

import java.util.SplittableRandom;

/**
 * albumentations' {@code RGBShift(r_shift_limit, g_shift_limit, b_shift_limit)} for images in [0, 1]: adds
 * {@code U(-limit[c], limit[c])} to channel c, clipped to [0, 1]. One limit applies to every channel.
 */
public final class RGBShift implements Transform {
    private final double[] limits;

    public RGBShift(double... limits) {
        if (limits.length == 0) throw new IllegalArgumentException("RGBShift needs at least one shift limit");
        for (int i = 0; i < limits.length; i++) Check.nonNegative("RGBShift limit " + i, limits[i]);
        this.limits = limits.clone();
    }

    @Override
    public Image apply(Image image, SplittableRandom rng) {
        int c = image.channels(), plane = image.height() * image.width();
        if (limits.length != 1 && limits.length != c)
            throw new IllegalArgumentException("RGBShift has " + limits.length + " limits for an image with " + c + " channels");
        float[] x = image.data(), out = new float[x.length];
        for (int ch = 0; ch < c; ch++) {
            double lim = limits[limits.length == 1 ? 0 : ch];
            double shift = Check.uniform(rng, -lim, lim);
            for (int i = ch * plane; i < (ch + 1) * plane; i++) out[i] = (float) Math.min(1, Math.max(0, x[i] + shift));
        }
        return new Image(c, image.height(), image.width(), out);
    }

    @Override
    public String toString() {
        return "RGBShift" + java.util.Arrays.toString(limits);
    }
}
