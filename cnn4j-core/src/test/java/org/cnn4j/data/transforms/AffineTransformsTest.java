package org.cnn4j.data.transforms;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.cnn4j.data.transforms.TestImages.assertImage;
import static org.cnn4j.data.transforms.TestImages.ramp;
import static org.cnn4j.data.transforms.TestImages.rows;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Rotations, translations, shears, zooms and the border fill modes. */
class AffineTransformsTest {
    @Test
    void quarterTurnsAreExact() {
        for (int n : new int[] {4, 5}) {
            Image img = ramp(2, n, n);
            for (Interpolation mode : new Interpolation[] {Interpolation.NEAREST, Interpolation.BILINEAR}) {
                Image ccw = Functional.rotate(img, 90, mode, FillMode.CONSTANT, -1f);
                Image half = Functional.rotate(img, 180, mode, FillMode.CONSTANT, -1f);
                Image cw = Functional.rotate(img, -90, mode, FillMode.CONSTANT, -1f);
                for (int c = 0; c < 2; c++)
                    for (int y = 0; y < n; y++)
                        for (int x = 0; x < n; x++) {
                            // counter-clockwise: the top-right corner comes to the top-left
                            assertEquals(img.get(c, x, n - 1 - y), ccw.get(c, y, x), "90 " + mode);
                            assertEquals(img.get(c, n - 1 - y, n - 1 - x), half.get(c, y, x), "180 " + mode);
                            assertEquals(img.get(c, n - 1 - x, y), cw.get(c, y, x), "-90 " + mode);
                        }
                assertEquals(img, Functional.rotate(img, 360, mode, FillMode.CONSTANT, -1f));
            }
        }
    }

    @Test
    void rotationKeepsTheCentrePixel() {
        Image img = TestImages.uniform(3, 9, 11, 2);
        for (double angle : new double[] {7, 33.3, -61, 123}) {
            for (Interpolation mode : new Interpolation[] {Interpolation.NEAREST, Interpolation.BILINEAR}) {
                Image r = Functional.rotate(img, angle, mode, FillMode.CONSTANT, 0f);
                for (int c = 0; c < 3; c++) assertEquals(img.get(c, 4, 5), r.get(c, 4, 5), 1e-6, angle + " " + mode);
            }
            Image k = Functional.warp(img, KerasAffine.matrix(9, 11, angle, 0, 0, 0, 1, 1), 9, 11, Interpolation.BILINEAR, FillMode.REFLECT, 0f);
            for (int c = 0; c < 3; c++) assertEquals(img.get(c, 4, 5), k.get(c, 4, 5), 1e-6, "keras " + angle);
        }
        // a random rotation of a constant image with nearest fill stays constant
        Image flat = TestImages.constant(1, 12, 12, 0.5f);
        assertImage(flat, new RandomRotation(-40, 40, Interpolation.BILINEAR, FillMode.NEAREST, 0f).apply(flat, new SplittableRandom(3)), 1e-6,
                "constant");
    }

    @Test
    void fillModesAsKerasDrawsThem() {
        Image row = rows(new float[] {1, 2, 3, 4});
        // translation by +2 pixels: the content moves right, the two leftmost outputs read x = -2, -1
        for (Interpolation mode : new Interpolation[] {Interpolation.NEAREST, Interpolation.BILINEAR}) {
            assertArrayEquals(new float[] {9, 9, 1, 2}, shift(row, 2, mode, FillMode.CONSTANT, 9).data());
            assertArrayEquals(new float[] {1, 1, 1, 2}, shift(row, 2, mode, FillMode.NEAREST, 9).data());
            assertArrayEquals(new float[] {2, 1, 1, 2}, shift(row, 2, mode, FillMode.REFLECT, 9).data());
            assertArrayEquals(new float[] {3, 4, 1, 2}, shift(row, 2, mode, FillMode.WRAP, 9).data());
            assertArrayEquals(new float[] {3, 4, 4, 3}, shift(row, -2, mode, FillMode.REFLECT, 9).data());
            assertArrayEquals(new float[] {3, 4, 1, 2}, shift(row, -6, mode, FillMode.WRAP, 9).data());
        }
        // half a pixel, bilinear: the mean of neighbours; with constant fill, torchvision's mask blend at the edge
        Image half = Functional.warp(row, new double[] {1, 0, -0.5, 0, 1, 0}, 1, 4, Interpolation.BILINEAR, FillMode.NEAREST, 0);
        assertArrayEquals(new float[] {1, 1.5f, 2.5f, 3.5f}, half.data());
        Image constant = Functional.warp(row, new double[] {1, 0, -0.5, 0, 1, 0}, 1, 4, Interpolation.BILINEAR, FillMode.CONSTANT, 8);
        // x = -0.5: sample 0.5 * 1 (zeros outside), mask 0.5 -> 0.5 * 0.5 + 0.5 * 8
        assertEquals(0.25f + 4f, constant.data()[0], 1e-6);
        assertEquals(1.5f, constant.data()[1], 1e-6);
    }

    private static Image shift(Image img, int dx, Interpolation mode, FillMode fill, float cval) {
        return Functional.affine(img, 0, dx, 0, 1, 0, 0, mode, fill, cval);
    }

    @Test
    void torchvisionScaleAndShearMatrices() {
        // scale 2 about the centre: output (y, x) reads the input at centre + (offset / 2)
        double[] m = Functional.torchvisionAffineMatrix(5, 5, 0, 0, 0, 2, 0, 0);
        assertArrayEquals(new double[] {0.5, 0, 1, 0, 0.5, 1}, m, 1e-12);
        // shear x by 45 degrees: x_src = x - tan(45) * (y - cy) (torchvision's SHx(s) = [1, -tan s] inverted)
        double[] s = Functional.torchvisionAffineMatrix(5, 5, 0, 0, 0, 1, 45, 0);
        assertArrayEquals(new double[] {1, 1, -2, 0, 1, 0}, s, 1e-12);
        Image sheared = Functional.affine(ramp(1, 5, 5), 0, 0, 0, 1, 45, 0, Interpolation.NEAREST, FillMode.CONSTANT, -1);
        assertEquals(20, sheared.get(0, 2, 0)); // the centre row stays
        assertEquals(-1, sheared.get(0, 0, 0)); // top row moves right by 2: x_src = 0 + 0 - 2
        assertEquals(0, sheared.get(0, 0, 2));
        assertEquals(42, sheared.get(0, 4, 0));
    }

    @Test
    void kerasAffinePiecesAndZoom() {
        Image img = ramp(1, 5, 5);
        // zoom 0.5 about the centre magnifies: the output corner reads the input at centre - 1
        Image zoomed = Functional.warp(img, KerasAffine.matrix(5, 5, 0, 0, 0, 0, 0.5, 0.5), 5, 5, Interpolation.NEAREST,
                FillMode.NEAREST, 0);
        assertEquals(img.get(0, 1, 1), zoomed.get(0, 0, 0));
        assertEquals(img.get(0, 2, 2), zoomed.get(0, 2, 2));
        assertEquals(img.get(0, 3, 3), zoomed.get(0, 4, 4));
        // rotation +90: counter-clockwise as torchvision's
        Image k90 = Functional.warp(img, KerasAffine.matrix(5, 5, 90, 0, 0, 0, 1, 1), 5, 5, Interpolation.BILINEAR, FillMode.CONSTANT, 0);
        assertEquals(Functional.rotate(img, 90, Interpolation.BILINEAR, FillMode.CONSTANT, 0), k90);
        // a shift of dx = +1 reads x + 1: the content moves left
        Image left = Functional.warp(img, KerasAffine.matrix(5, 5, 0, 1, 0, 0, 1, 1), 5, 5, Interpolation.NEAREST, FillMode.NEAREST, 0);
        assertEquals(img.get(0, 0, 1), left.get(0, 0, 0));
        assertEquals(img.get(0, 0, 4), left.get(0, 0, 4));
        // random draws stay in range: zoom in [0.9, 1.1], rotation <= 10 degrees keep a constant image constant
        KerasAffine ka = new KerasAffine(10, 0.1, 0.1, 5, 0.1);
        Image flat = TestImages.constant(1, 28, 28, 0.25f);
        assertImage(flat, ka.apply(flat, new SplittableRandom(4)), 1e-6, "constant");
        assertTrue(new KerasAffine(0, 0, 0, 0, 0).isIdentity());
        assertThrows(IllegalArgumentException.class, () -> new KerasAffine(-1, 0, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new KerasAffine(0, 0, 0, 0, 0.5, 0.4, Interpolation.BILINEAR, FillMode.NEAREST, 0));
    }

    @Test
    void randomAffineDrawsAsTorchvision() {
        RandomAffine ra = RandomAffine.builder().degrees(10).translate(0.2, 0.1).scale(0.8, 1.2).shear(-5, 5, -3, 3).build();
        SplittableRandom rng = new SplittableRandom(6);
        for (int i = 0; i < 500; i++) {
            double[] p = ra.parameters(20, 30, rng);
            assertTrue(Math.abs(p[0]) <= 10, "angle " + p[0]);
            assertTrue(Math.abs(p[1]) <= 6 && p[1] == Math.rint(p[1]), "tx " + p[1]); // whole pixels, |tx| <= 0.2 * 30
            assertTrue(Math.abs(p[2]) <= 2 && p[2] == Math.rint(p[2]), "ty " + p[2]);
            assertTrue(p[3] >= 0.8 && p[3] <= 1.2, "scale " + p[3]);
            assertTrue(Math.abs(p[4]) <= 5 && Math.abs(p[5]) <= 3, "shear");
        }
        Image img = TestImages.uniform(1, 20, 30, 1);
        double[] p = ra.parameters(20, 30, new SplittableRandom(9));
        assertEquals(Functional.affine(img, p[0], p[1], p[2], p[3], p[4], p[5], Interpolation.NEAREST, FillMode.CONSTANT, 0),
                ra.apply(img, new SplittableRandom(9)));
        assertEquals(img, RandomAffine.builder().build().apply(img, new SplittableRandom(1)), "the default is the identity");
        assertThrows(IllegalArgumentException.class, () -> RandomAffine.builder().translate(1.5, 0));
        assertThrows(IllegalArgumentException.class, () -> RandomAffine.builder().interpolation(Interpolation.BICUBIC));
    }

    @Test
    void perspective() {
        Image img = TestImages.uniform(2, 10, 12, 3);
        int[][] corners = RandomPerspective.corners(10, 12);
        assertArrayEquals(new double[] {1, 0, 0, 0, 1, 0, 0, 0}, Functional.perspectiveCoefficients(corners, corners), 1e-12);
        assertImage(img, Functional.perspective(img, corners, corners, Interpolation.BILINEAR, FillMode.CONSTANT, 0), 1e-6, "identity");
        assertEquals(img, new RandomPerspective(0, 1).apply(img, new SplittableRandom(1)), "distortion 0 keeps the corners");
        RandomPerspective rp = new RandomPerspective(0.5, 1);
        SplittableRandom rng = new SplittableRandom(2);
        for (int i = 0; i < 200; i++) {
            int[][] e = rp.endpoints(10, 12, rng);
            assertTrue(e[0][0] <= 3 && e[0][1] <= 2 && e[1][0] >= 8 && e[2][1] >= 7 && e[3][0] <= 3, java.util.Arrays.deepToString(e));
        }
        // moving the top corners inwards shrinks the top row towards the centre: its ends become fill
        Image squeezed = Functional.perspective(img, corners, new int[][] {{3, 0}, {8, 0}, {11, 9}, {0, 9}}, Interpolation.BILINEAR,
                FillMode.CONSTANT, -1f);
        assertEquals(-1f, squeezed.get(0, 0, 0));
        assertEquals(-1f, squeezed.get(1, 0, 11));
        assertThrows(IllegalArgumentException.class, () -> Functional.perspective(img, corners,
                new int[][] {{0, 0}, {0, 0}, {0, 0}, {0, 0}}, Interpolation.BILINEAR, FillMode.CONSTANT, 0));
    }
}
