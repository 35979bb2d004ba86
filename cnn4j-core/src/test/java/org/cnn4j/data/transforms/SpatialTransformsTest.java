package org.cnn4j.data.transforms;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.cnn4j.data.transforms.TestImages.assertImage;
import static org.cnn4j.data.transforms.TestImages.ramp;
import static org.cnn4j.data.transforms.TestImages.rows;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Flips, crops, padding and resizing: exact pixels where the arithmetic is exact. */
class SpatialTransformsTest {
    @Test
    void flipsMirrorExactly() {
        Image img = ramp(2, 3, 4);
        Image h = Functional.hflip(img), v = Functional.vflip(img);
        for (int c = 0; c < 2; c++)
            for (int y = 0; y < 3; y++)
                for (int x = 0; x < 4; x++) {
                    assertEquals(img.get(c, y, 3 - x), h.get(c, y, x));
                    assertEquals(img.get(c, 2 - y, x), v.get(c, y, x));
                }
        assertEquals(img, Functional.hflip(h));
        assertEquals(ramp(2, 3, 4), img, "the input is not modified");
        assertEquals(h, new RandomHorizontalFlip(1).apply(img, new SplittableRandom(1)));
        assertSame(img, new RandomHorizontalFlip(0).apply(img, new SplittableRandom(1)));
        assertEquals(v, new RandomVerticalFlip(1).apply(img, new SplittableRandom(1)));
        // p = 0.5 flips about half of the time
        SplittableRandom rng = new SplittableRandom(5);
        int flipped = 0;
        RandomHorizontalFlip half = new RandomHorizontalFlip();
        for (int i = 0; i < 2000; i++) if (half.apply(img, rng).equals(h)) flipped++;
        assertTrue(flipped > 900 && flipped < 1100, flipped + " of 2000");
    }

    @Test
    void cropsTakeTheWindow() {
        Image img = ramp(1, 6, 7);
        Image c = Functional.crop(img, 1, 2, 3, 4);
        for (int y = 0; y < 3; y++)
            for (int x = 0; x < 4; x++) assertEquals(10 * (y + 1) + x + 2, c.get(0, y, x));
        // out of the image: zeros, as torchvision pads
        Image o = Functional.crop(img, -1, 5, 2, 3);
        assertArrayEquals(new float[] {0, 0, 0, 5, 6, 0}, o.data());
        // centre: top = round((6 - 3) / 2) = round(1.5) = 2 (half to even), left = round((7 - 4) / 2) = 2
        Image cc = new CenterCrop(3, 4).apply(img, null);
        assertEquals(Functional.crop(img, 2, 2, 3, 4), cc);
        Image cc2 = Functional.centerCrop(img, 4, 5); // top round(1) = 1, left round(1) = 1
        assertEquals(Functional.crop(img, 1, 1, 4, 5), cc2);
        // larger than the image: zero padding around it
        Image big = Functional.centerCrop(rows(new float[] {1, 2}), 3, 4);
        assertArrayEquals(new float[] {0, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 0}, big.data());
    }

    @Test
    void paddingModes() {
        Image row = rows(new float[] {1, 2, 3, 4});
        assertArrayEquals(new float[] {9, 9, 1, 2, 3, 4, 9, 9}, Functional.pad(row, 2, 0, 2, 0, PaddingMode.CONSTANT, 9).data());
        assertArrayEquals(new float[] {1, 1, 1, 2, 3, 4, 4, 4}, Functional.pad(row, 2, 0, 2, 0, PaddingMode.EDGE, 0).data());
        assertArrayEquals(new float[] {3, 2, 1, 2, 3, 4, 3, 2}, Functional.pad(row, 2, 0, 2, 0, PaddingMode.REFLECT, 0).data());
        assertArrayEquals(new float[] {2, 1, 1, 2, 3, 4, 4, 3}, Functional.pad(row, 2, 0, 2, 0, PaddingMode.SYMMETRIC, 0).data());
        // wider than the image keeps mirroring
        assertArrayEquals(new float[] {2, 3, 2, 1, 2, 3, 2, 1}, Functional.pad(rows(new float[] {1, 2, 3}), 3, 0, 2, 0,
                PaddingMode.REFLECT, 0).data());
        Image col = Functional.pad(rows(new float[] {1}, new float[] {2}), 0, 1, 0, 2, PaddingMode.SYMMETRIC, 0);
        assertArrayEquals(new float[] {1, 1, 2, 2, 1}, col.data());
        assertEquals(new Pad(1).apply(row, null), Functional.pad(row, 1, 1, 1, 1, PaddingMode.CONSTANT, 0));
        assertThrows(IllegalArgumentException.class, () -> new Pad(-1));
    }

    @Test
    void randomCropIsAWindowOfThePaddedImage() {
        Image img = ramp(1, 28, 28);
        RandomCrop crop = new RandomCrop(28, 28, 4, false, PaddingMode.CONSTANT, -1f);
        for (long seed = 0; seed < 20; seed++) {
            Image out = crop.apply(img, new SplittableRandom(seed));
            SplittableRandom replay = new SplittableRandom(seed);
            int top = replay.nextInt(36 - 28 + 1), left = replay.nextInt(36 - 28 + 1);
            Image expected = Functional.crop(Functional.pad(img, 4, 4, 4, 4, PaddingMode.CONSTANT, -1f), top, left, 28, 28);
            assertEquals(expected, out, "seed " + seed);
        }
        // positions cover the whole range 0..8
        boolean[] seen = new boolean[9];
        SplittableRandom rng = new SplittableRandom(1);
        Image columns = Image.zeros(1, 28, 28);
        for (int i = 0; i < 28 * 28; i++) columns.data()[i] = i % 28;
        for (int i = 0; i < 500; i++) {
            Image out = crop.apply(columns, rng);
            int x0 = 0;
            while (out.get(0, 14, x0) == -1f) x0++;
            int left = x0 > 0 ? 4 - x0 : 4 + Math.round(out.get(0, 14, 0));
            seen[left] = true;
        }
        for (boolean s : seen) assertTrue(s);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new RandomCrop(30, 30, 0, false, PaddingMode.CONSTANT, 0).apply(img, new SplittableRandom(1)));
        assertTrue(e.getMessage().contains("30x30") && e.getMessage().contains("28x28"), e.getMessage());
        Image padded = new RandomCrop(30, 30, 0, true, PaddingMode.EDGE, 0).apply(img, new SplittableRandom(1));
        assertEquals(30, padded.height());
    }

    @Test
    void resizeOfConstantImagesIsConstant() {
        for (Interpolation mode : Interpolation.values())
            for (int[] hw : new int[][] {{5, 9}, {28, 28}, {3, 2}, {60, 61}}) {
                Image out = Functional.resize(TestImages.constant(2, 13, 17, 0.375f), hw[0], hw[1], mode);
                assertImage(TestImages.constant(2, hw[0], hw[1], 0.375f), out, 1e-6, mode + " " + hw[0] + "x" + hw[1]);
            }
    }

    @Test
    void nearestResizeTakesFloorIndices() {
        Image img = ramp(1, 4, 4);
        // down by 2: source index floor(d * 2) = 0, 2
        assertArrayEquals(new float[] {0, 2, 20, 22}, Functional.resize(img, 2, 2, Interpolation.NEAREST).data());
        // up by 2: every pixel twice
        Image up = Functional.resize(rows(new float[] {1, 2}, new float[] {3, 4}), 4, 4, Interpolation.NEAREST);
        assertArrayEquals(new float[] {1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4}, up.data());
        // 4 -> 3: scale 4/3, indices floor(0), floor(1.33), floor(2.67) = 0, 1, 2
        assertArrayEquals(new float[] {0, 1, 2}, Functional.resize(rows(new float[] {0, 1, 2, 3}), 1, 3, Interpolation.NEAREST).data());
        // bilinear 2x upsampling of [0, 1]: samples at -0.25 (clamped to 0), 0.25, 0.75, 1.25 (clamped to the edge)
        assertArrayEquals(new float[] {0, 0.25f, 0.75f, 1}, Functional.resize(rows(new float[] {0, 1}), 1, 4, Interpolation.BILINEAR).data());
        Image shorter = Resize.shorterEdge(14, Interpolation.BILINEAR).apply(ramp(1, 28, 40), null);
        assertArrayEquals(new int[] {1, 14, 20}, shorter.shape());
        assertThrows(IllegalArgumentException.class, () -> new Resize(0, 3));
    }

    @Test
    void randomResizedCropFollowsTorchvisionsAlgorithm() {
        // full scale, square ratio on a square image: the whole image
        RandomResizedCrop whole = new RandomResizedCrop(8, 8, 1, 1, 1, 1, Interpolation.BILINEAR);
        assertArrayEquals(new int[] {0, 0, 16, 16}, whole.window(16, 16, new SplittableRandom(1)));
        assertEquals(Functional.resize(ramp(1, 16, 16), 8, 8, Interpolation.BILINEAR), whole.apply(ramp(1, 16, 16), new SplittableRandom(1)));
        // no attempt can fit (area 400 as 20x20 in a 10x40 image): central crop with the ratio clamped to 1
        assertArrayEquals(new int[] {0, 15, 10, 10}, whole.window(10, 40, new SplittableRandom(2)));
        assertArrayEquals(new int[] {15, 0, 10, 10}, whole.window(40, 10, new SplittableRandom(2)));
        // defaults: area fraction within [0.08, 1] (up to rounding) and aspect within [3/4, 4/3] (up to rounding)
        RandomResizedCrop rrc = new RandomResizedCrop(28, 28);
        SplittableRandom rng = new SplittableRandom(3);
        double minArea = 1, maxArea = 0;
        for (int i = 0; i < 2000; i++) {
            int[] w = rrc.window(100, 100, rng);
            assertTrue(w[0] >= 0 && w[1] >= 0 && w[0] + w[2] <= 100 && w[1] + w[3] <= 100, java.util.Arrays.toString(w));
            double area = w[2] * w[3] / 1e4, ratio = (double) w[3] / w[2];
            assertTrue(area >= 0.07 && area <= 1.0, "area " + area);
            assertTrue(ratio >= 0.7 && ratio <= 1.4, "ratio " + ratio);
            minArea = Math.min(minArea, area);
            maxArea = Math.max(maxArea, area);
        }
        assertTrue(minArea < 0.1 && maxArea > 0.9, minArea + " .. " + maxArea);
        assertArrayEquals(new int[] {1, 28, 28}, rrc.apply(ramp(1, 50, 60), rng).shape());
        assertThrows(IllegalArgumentException.class, () -> new RandomResizedCrop(8, 8, 0.5, 0.2, 1, 1, Interpolation.BILINEAR));
    }

    @Test
    void sameSeedSameResultDifferentSeedsDiffer() {
        Transform t = new Compose(new RandomCrop(28, 3), new RandomHorizontalFlip(), new RandomRotation(15));
        Image img = TestImages.uniform(1, 28, 28, 4);
        assertEquals(t.apply(img.copy(), new SplittableRandom(7)), t.apply(img.copy(), new SplittableRandom(7)));
        assertNotEquals(t.apply(img.copy(), new SplittableRandom(7)), t.apply(img.copy(), new SplittableRandom(8)));
    }
}
