package org.cnn4j.data.transforms;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/** Small synthetic images for the transform tests. */
final class TestImages {
    private TestImages() {}

    /** Pixel (c, y, x) = 100 c + 10 y + x: every value names its position. */
    static Image ramp(int c, int h, int w) {
        Image img = Image.zeros(c, h, w);
        for (int ch = 0; ch < c; ch++)
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++) img.set(ch, y, x, 100 * ch + 10 * y + x);
        return img;
    }

    static Image constant(int c, int h, int w, float v) {
        Image img = Image.zeros(c, h, w);
        java.util.Arrays.fill(img.data(), v);
        return img;
    }

    static Image uniform(int c, int h, int w, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Image img = Image.zeros(c, h, w);
        for (int i = 0; i < img.data().length; i++) img.data()[i] = (float) rng.nextDouble();
        return img;
    }

    /** An image from rows, one channel. */
    static Image rows(float[]... rows) {
        Image img = Image.zeros(1, rows.length, rows[0].length);
        for (int y = 0; y < rows.length; y++)
            for (int x = 0; x < rows[0].length; x++) img.set(0, y, x, rows[y][x]);
        return img;
    }

    static void assertImage(Image expected, Image actual, double tol, String what) {
        assertEquals(expected.channels(), actual.channels(), what + ": channels");
        assertEquals(expected.height(), actual.height(), what + ": height");
        assertEquals(expected.width(), actual.width(), what + ": width");
        for (int c = 0; c < expected.channels(); c++)
            for (int y = 0; y < expected.height(); y++)
                for (int x = 0; x < expected.width(); x++)
                    if (!(Math.abs(expected.get(c, y, x) - actual.get(c, y, x)) <= tol))
                        fail(what + ": pixel (" + c + ", " + y + ", " + x + ") is " + actual.get(c, y, x) + ", expected " + expected.get(c, y, x));
    }

    static double mean(Image img) {
        double s = 0;
        for (float v : img.data()) s += v;
        return s / img.data().length;
    }
}
