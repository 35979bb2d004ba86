package org.cnn4j.data.transforms;

import java.util.SplittableRandom;

/**
 * Cutout (DeVries and Taylor, 2017, as their reference code): for each of {@code holes} holes, a centre
 * {@code (y, x)} uniform over the image, and the square rows [y - size/2, y + size/2), columns
 * [x - size/2, x + size/2) (integer halves, so an odd size cuts size - 1 as the reference code does)
 * clipped to the image set to {@code fill} in every channel. Holes may leave the image partly, so
 * regions near the border are cut as often as central ones.
 */
public final class Cutout implements Transform {
    private final int size, holes;
    private final float fill;

    public Cutout(int size) {
        this(size, 1, 0f);
    }

    public Cutout(int size, int holes, float fill) {
        this.size = Check.positive("Cutout size", size);
        this.holes = Check.positive("Cutout holes", holes);
        this.fill = fill;
    }

    @Override
    public Image apply(Image image, SplittableRandom rng) {
        int c = image.channels(), h = image.height(), w = image.width();
        float[] out = image.data().clone();
        for (int k = 0; k < holes; k++) {
            int cy = rng.nextInt(h), cx = rng.nextInt(w);
            int y1 = Math.max(0, cy - size / 2), y2 = Math.min(h, cy + size / 2);
            int x1 = Math.max(0, cx - size / 2), x2 = Math.min(w, cx + size / 2);
            for (int ch = 0; ch < c; ch++)
                for (int y = y1; y < y2; y++)
                    for (int x = x1; x < x2; x++) out[(ch * h + y) * w + x] = fill;
        }
        return new Image(c, h, w, out);
    }

    @Override
    public String toString() {
        return "Cutout(" + size + ", holes=" + holes + ", fill=" + fill + ")";
    }
}
