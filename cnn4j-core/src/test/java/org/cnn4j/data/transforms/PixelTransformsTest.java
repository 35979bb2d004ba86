package org.cnn4j.data.transforms;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.cnn4j.data.transforms.TestImages.assertImage;
import static org.cnn4j.data.transforms.TestImages.constant;
import static org.cnn4j.data.transforms.TestImages.mean;
import static org.cnn4j.data.transforms.TestImages.uniform;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Colour, filter, noise, erasing and value transforms. */
class PixelTransformsTest {
    @Test
    void brightnessIsMonotoneAndClamped() {
        Image img = uniform(3, 8, 8, 1);
        Image prev = Functional.adjustBrightness(img, 0);
        assertEquals(0, mean(prev));
        for (double f = 0.25; f <= 2.5; f += 0.25) {
            Image cur = Functional.adjustBrightness(img, f);
            for (int i = 0; i < img.data().length; i++) {
                assertTrue(cur.data()[i] >= prev.data()[i], "factor " + f + " pixel " + i);
                assertTrue(cur.data()[i] <= 1f);
            }
            assertTrue(mean(cur) > mean(prev));
            prev = cur;
        }
        assertEquals(img, Functional.adjustBrightness(img, 1));
        // ColorJitter's brightness factor lies in [0.8, 1.2]
        ColorJitter jitter = ColorJitter.brightness(0.2);
        SplittableRandom rng = new SplittableRandom(2);
        Image half = constant(1, 2, 2, 0.5f);
        for (int i = 0; i < 200; i++) {
            float v = jitter.apply(half, rng).get(0, 0, 0);
            assertTrue(v >= 0.4f && v <= 0.6f, "value " + v);
        }
        assertThrows(IllegalArgumentException.class, () -> Functional.adjustBrightness(img, -1));
    }

    @Test
    void contrastSaturationHueGray() {
        Image img = uniform(3, 6, 6, 3);
        Image flat = Functional.adjustContrast(img, 0);
        float g = flat.get(0, 0, 0);
        for (float v : flat.data()) assertEquals(g, v, 1e-7, "contrast 0 is flat grey");
        assertEquals(mean(Functional.rgbToGrayscale(img, 1)), g, 1e-6);
        Image grey = Functional.adjustSaturation(img, 0);
        for (int i = 0; i < 36; i++) {
            assertEquals(grey.data()[i], grey.data()[36 + i], 1e-7);
            assertEquals(grey.data()[i], grey.data()[72 + i], 1e-7);
        }
        // a full turn of hue in two halves comes back
        Image back = Functional.adjustHue(Functional.adjustHue(img, 0.5), -0.5);
        assertImage(img, back, 1e-5, "hue round trip");
        // pure red shifted by a third of a turn is pure green
        Image red = Image.zeros(3, 1, 1);
        red.set(0, 0, 0, 1f);
        assertArrayEquals(new float[] {0, 1, 0}, Functional.adjustHue(red, 1.0 / 3).data(), 1e-6f);
        Image gray1 = uniform(1, 4, 4, 5);
        assertEquals(gray1, Functional.adjustSaturation(gray1, 0.3), "grey images pass saturation unchanged");
        assertEquals(gray1, Functional.adjustHue(gray1, 0.3), "grey images pass hue unchanged");
        assertEquals(3, new RandomGrayscale(1).apply(img, new SplittableRandom(1)).channels());
        assertEquals(1, new Grayscale(1).apply(img, null).channels());
        assertThrows(IllegalArgumentException.class, () -> Functional.adjustHue(img, 0.6));
        assertThrows(IllegalArgumentException.class, () -> new ColorJitter(0, 0, 0, 0.7));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Functional.adjustContrast(uniform(2, 3, 3, 1), 1.2));
        assertTrue(e.getMessage().contains("2 channels"), e.getMessage());
        // ColorJitter with everything on keeps values in [0, 1] and changes the image
        ColorJitter all = new ColorJitter(0.4, 0.4, 0.4, 0.1);
        Image j = all.apply(img, new SplittableRandom(7));
        assertNotEquals(img, j);
        for (float v : j.data()) assertTrue(v >= 0 && v <= 1);
    }

    @Test
    void equalizationFlattensTheHistogram() {
        // a strongly skewed image: u^4, most pixels dark
        SplittableRandom rng = new SplittableRandom(11);
        Image img = Image.zeros(1, 64, 64);
        for (int i = 0; i < img.data().length; i++) img.data()[i] = Math.round(Math.pow(rng.nextDouble(), 4) * 255) / 255f;
        Image eq = Functional.equalize(img);
        double before = cdfDistance(img), after = cdfDistance(eq);
        assertTrue(before > 0.3, "input CDF far from flat: " + before);
        assertTrue(after < 0.03, "equalized CDF near flat: " + after);
        // values stay on the 8-bit grid and in [0, 1]
        for (float v : eq.data()) assertEquals(Math.round(v * 255) / 255f, v, 1e-7);
        // a constant image stays as is (one non-zero bin)
        Image c = constant(1, 8, 8, 0.3f);
        assertEquals(c, Functional.equalize(c));
    }

    /**
     * Largest gap between the fraction of pixels strictly below each value and the value itself: 0 for a
     * flat histogram. (Equalization maps a value to the fraction of pixels below it, so an 8-bit level held
     * by many pixels stays one level; measuring below each level is what the lookup table flattens.)
     */
    private static double cdfDistance(Image img) {
        float[] v = img.data().clone();
        java.util.Arrays.sort(v);
        double worst = 0;
        for (int i = 0; i < v.length; i++) {
            if (i > 0 && v[i] == v[i - 1]) continue;
            worst = Math.max(worst, Math.abs((double) i / v.length - v[i]));
        }
        return worst;
    }

    @Test
    void blursPreserveConstantImagesAndTheMean() {
        Image flat = constant(2, 9, 10, 0.7f);
        for (Image out : new Image[] {Functional.gaussianBlur(flat, 5, 3, 1.5, 0.8), Functional.boxBlur(flat, 3),
                Functional.medianBlur(flat, 5), Functional.adjustSharpness(flat, 2)})
            assertImage(flat, out, 1e-6, "constant image");
        Image img = uniform(1, 32, 32, 3);
        for (Image out : new Image[] {Functional.gaussianBlur(img, 5, 5, 1.0, 1.0), Functional.boxBlur(img, 3),
                new GaussianBlur(3, 3, 0.1, 2).apply(img, new SplittableRandom(1))}) {
            assertEquals(mean(img), mean(out), 0.01, "mean");
            assertTrue(variance(out) < variance(img), "a blur smooths");
        }
        // median removes an isolated outlier, box spreads it evenly
        Image spike = Image.zeros(1, 5, 5);
        spike.set(0, 2, 2, 9f);
        assertEquals(0, Functional.medianBlur(spike, 3).get(0, 2, 2));
        Image box = Functional.boxBlur(spike, 3);
        assertEquals(1f, box.get(0, 2, 2), 1e-6);
        assertEquals(1f, box.get(0, 1, 3), 1e-6);
        assertEquals(0f, box.get(0, 0, 0), 1e-6);
        assertArrayEquals(new float[] {0.25f, 0.5f, 0.25f}, Functional.gaussianKernel(3, 1 / Math.sqrt(2 * Math.log(2))), 1e-6f);
        assertThrows(IllegalArgumentException.class, () -> new GaussianBlur(4));
        assertThrows(IllegalArgumentException.class, () -> new MedianBlur(0));
    }

    private static double variance(Image img) {
        double m = mean(img), s = 0;
        for (float v : img.data()) s += (v - m) * (v - m);
        return s / img.data().length;
    }

    @Test
    void cutoutZeroesTheDrawnSquare() {
        Image img = constant(2, 28, 28, 1f);
        for (long seed = 0; seed < 30; seed++) {
            Image out = new Cutout(8).apply(img, new SplittableRandom(seed));
            SplittableRandom replay = new SplittableRandom(seed);
            int cy = replay.nextInt(28), cx = replay.nextInt(28);
            int zeros = 0;
            for (int c = 0; c < 2; c++)
                for (int y = 0; y < 28; y++)
                    for (int x = 0; x < 28; x++) {
                        boolean inside = y >= cy - 4 && y < cy + 4 && x >= cx - 4 && x < cx + 4;
                        assertEquals(inside ? 0f : 1f, out.get(c, y, x), "seed " + seed + " (" + y + ", " + x + ")");
                        if (inside) zeros++;
                    }
            int rowsIn = Math.min(28, cy + 4) - Math.max(0, cy - 4), colsIn = Math.min(28, cx + 4) - Math.max(0, cx - 4);
            assertEquals(2 * rowsIn * colsIn, zeros);
        }
        assertEquals(1f, img.get(0, 0, 0), "the input is not modified");
    }

    @Test
    void randomErasingFollowsTorchvision() {
        Image img = constant(3, 10, 10, 1f);
        // scale 0.16, ratio 1: a 4x4 block
        RandomErasing re = new RandomErasing(1, 0.16, 0.16, 1, 1, new float[] {0.1f, 0.2f, 0.3f});
        for (long seed = 0; seed < 10; seed++) {
            Image out = re.apply(img, new SplittableRandom(seed));
            int[] count = new int[3];
            for (int c = 0; c < 3; c++)
                for (float v : java.util.Arrays.copyOfRange(out.data(), c * 100, (c + 1) * 100))
                    if (v != 1f) {
                        assertEquals(0.1f * (c + 1), v, 1e-7);
                        count[c]++;
                    }
            assertArrayEquals(new int[] {16, 16, 16}, count);
        }
        assertSame(img, new RandomErasing(0, 0.02, 0.33, 0.3, 3.3, new float[] {0}).apply(img, new SplittableRandom(1)));
        // a block as large as the image never fits (h < H required): unchanged
        assertEquals(img, new RandomErasing(1, 1, 1, 1, 1, new float[] {0}).apply(img, new SplittableRandom(1)));
        Image noisy = RandomErasing.random(1, 0.3, 0.3, 1, 1).apply(img, new SplittableRandom(2));
        assertNotEquals(img, noisy);
        assertThrows(IllegalArgumentException.class, () -> new RandomErasing(1, 0.2, 1.5, 0.3, 3.3, new float[] {0}));
    }

    @Test
    void valueTransformsAreExact() {
        Image img = TestImages.rows(new float[] {0, 51, 255}, new float[] {102, 204, 153});
        assertArrayEquals(new float[] {0, 0.2f, 1, 0.4f, 0.8f, 0.6f}, new Rescale(1 / 255f).apply(img, null).data(), 1e-7f);
        assertArrayEquals(new float[] {-1, 0, 1}, new Normalize(0.5f, 0.25f).apply(TestImages.rows(new float[] {0.25f, 0.5f, 0.75f}), null).data());
        Image two = Image.zeros(2, 1, 2);
        System.arraycopy(new float[] {1, 2, 3, 4}, 0, two.data(), 0, 4);
        assertArrayEquals(new float[] {0, 1, 1, 1.5f}, new Normalize(new float[] {1, 1}, new float[] {1, 2}).apply(two, null).data());
        assertArrayEquals(new float[] {0, 0.2f, 1, 0.4f, 0.8f, 0.6f}, new MinMax().apply(img, null).data(), 1e-7f);
        assertArrayEquals(new float[] {0, 0}, new MinMax().apply(TestImages.rows(new float[] {3, 3}), null).data());
        Image unit = TestImages.rows(new float[] {0, 0.25f, 0.5f, 1});
        assertArrayEquals(new float[] {1, 0.75f, 0.5f, 0}, Functional.invert(unit).data());
        assertArrayEquals(new float[] {0, 0.25f, 0.5f, 0}, Functional.solarize(unit, 0.5).data());
        assertArrayEquals(new float[] {0, 0.0625f, 0.25f, 1}, Functional.adjustGamma(unit, 2, 1).data());
        assertArrayEquals(new float[] {0, 0, 128 / 255f, 128 / 255f}, Functional.posterize(unit, 1).data(), 1e-7f);
        assertThrows(IllegalArgumentException.class, () -> new Normalize(new float[] {0}, new float[] {0}));
        assertThrows(IllegalArgumentException.class, () -> new RandomPosterize(9, 0.5));
    }

    @Test
    void noiseAndShiftsStayInRange() {
        Image img = uniform(3, 16, 16, 8);
        Image noisy = new GaussianNoise(0.1).apply(img, new SplittableRandom(1));
        double d = 0;
        for (int i = 0; i < img.data().length; i++) {
            assertTrue(noisy.data()[i] >= 0 && noisy.data()[i] <= 1);
            d += noisy.data()[i] - img.data()[i];
        }
        assertEquals(0, d / img.data().length, 0.02, "zero-mean noise");
        Image unclipped = new GaussianNoise(0, 0.5, 0.5, false).apply(constant(1, 64, 64, 0f), new SplittableRandom(2));
        double s = 0;
        for (float v : unclipped.data()) s += v * v;
        assertEquals(0.5, Math.sqrt(s / unclipped.data().length), 0.03, "standard deviation");
        Image shifted = new RGBShift(0.2, 0, 0.1).apply(constant(3, 2, 2, 0.5f), new SplittableRandom(3));
        float r = shifted.get(0, 0, 0);
        assertTrue(r >= 0.3f && r <= 0.7f);
        for (int i = 0; i < 4; i++) assertEquals(r, shifted.data()[i], "one shift per channel");
        assertEquals(0.5f, shifted.get(1, 1, 1));
        Image gamma = new RandomGamma(0.5, 2).apply(constant(1, 1, 1, 0.5f), new SplittableRandom(4));
        assertTrue(gamma.data()[0] >= 0.25f && gamma.data()[0] <= Math.sqrt(0.5) + 1e-6);
        assertEquals(img, new RandomEqualize(0).apply(img, new SplittableRandom(1)));
        assertEquals(Functional.invert(img), new RandomInvert(1).apply(img, new SplittableRandom(1)));
        assertEquals(Functional.solarize(img, 0.3), new RandomSolarize(0.3, 1).apply(img, new SplittableRandom(1)));
        assertEquals(Functional.adjustSharpness(img, 2), new RandomAdjustSharpness(2, 1).apply(img, new SplittableRandom(1)));
    }
}
