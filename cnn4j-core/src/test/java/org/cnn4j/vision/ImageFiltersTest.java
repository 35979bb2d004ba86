package org.cnn4j.vision;

import org.cnn4j.data.transforms.Image;
import org.cnn4j.nn.Padding;
import org.cnn4j.vision.ImageFilters.Pool;
import org.cnn4j.vision.ImageFilters.Rescale;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Filter outputs on small synthetic images against values worked out by hand. */
class ImageFiltersTest {
    /** 1 x 5 x 6, dark (0) in columns 0-2, bright (1) in columns 3-5: a vertical step edge. */
    static Image stepEdge() {
        Image img = Image.zeros(1, 5, 6);
        for (int y = 0; y < 5; y++) for (int x = 3; x < 6; x++) img.set(0, y, x, 1f);
        return img;
    }

    static float[] row(Image img, int c, int y) {
        float[] r = new float[img.width()];
        for (int x = 0; x < r.length; x++) r[x] = img.get(c, y, x);
        return r;
    }

    @Test
    void sobelOnAStepEdge() {
        // valid: output column j sees input columns j..j+2; gx = (1+2+1) * (x[j+2] - x[j]) = 4 * step
        Image gx = ImageFilters.convolve(stepEdge(), Filters.named("sobel-x", Double.NaN), 1, Padding.VALID);
        assertEquals(3, gx.height());
        assertEquals(4, gx.width());
        for (int y = 0; y < 3; y++) assertArrayEquals(new float[] {0, 4, 4, 0}, row(gx, 0, y), 0f);
        Image gy = ImageFilters.convolve(stepEdge(), Filters.named("sobel-y", Double.NaN), 1, Padding.VALID);
        for (float v : gy.data()) assertEquals(0f, v, 0f);
        Image mag = ImageFilters.convolve(stepEdge(), Filters.named("sobel", Double.NaN), 1, Padding.VALID);
        assertArrayEquals(gx.data(), mag.data(), 0f);

        // same: zero padding; in the top row only kernel rows 1 and 2 see the image
        Image same = ImageFilters.convolve(stepEdge(), Filters.named("sobel-x", Double.NaN), 1, Padding.SAME);
        assertEquals(5, same.height());
        assertEquals(6, same.width());
        // (0,2): -2*x[1] + 2*x[3] - x[1] + x[3] = 3; (0,5): the right neighbour is padding: -2 - 1 = -3
        assertArrayEquals(new float[] {0, 0, 3, 3, 0, -3}, row(same, 0, 0), 0f);
        assertArrayEquals(new float[] {0, 0, 4, 4, 0, -4}, row(same, 0, 2), 0f);
        // in the top row the zero padding above also makes a vertical gradient gy = x[1,j-1] + 2 x[1,j] + x[1,j+1]
        Image sameMag = ImageFilters.convolve(stepEdge(), Filters.named("sobel", Double.NaN), 1, Padding.SAME);
        assertEquals(4f, sameMag.get(0, 0, 4), 1e-6f);                              // gx = 0, gy = 1 + 2 + 1
        assertEquals((float) Math.sqrt(3 * 3 + 3 * 3), sameMag.get(0, 0, 3), 1e-5f); // gx = 3, gy = 0 + 2 + 1
        assertEquals(0f, sameMag.get(0, 2, 0), 0f);                                  // flat dark interior
    }

    @Test
    void identityReturnsTheImageForEveryChannel() {
        Random r = new Random(1);
        Image img = Image.zeros(3, 7, 9);
        for (int i = 0; i < img.data().length; i++) img.data()[i] = r.nextFloat() * 2 - 0.5f;
        Image out = ImageFilters.convolve(img, Filters.named("identity", Double.NaN), 1, Padding.SAME);
        assertEquals(img, out);
        Image valid = ImageFilters.convolve(img, Filters.named("identity", Double.NaN), 1, Padding.VALID);
        assertEquals(5, valid.height());
        assertEquals(7, valid.width());
        assertEquals(img.get(2, 3, 4), valid.get(2, 2, 3), 0f);
    }

    @Test
    void boxAveragesAndPaddingCountsZeros() {
        Image flat = Image.zeros(1, 4, 4);
        java.util.Arrays.fill(flat.data(), 9f);
        Image valid = ImageFilters.convolve(flat, Filters.named("box", Double.NaN), 1, Padding.VALID);
        assertEquals(2, valid.height());
        for (float v : valid.data()) assertEquals(9f, v, 1e-5f);
        Image same = ImageFilters.convolve(flat, Filters.named("box", Double.NaN), 1, Padding.SAME);
        assertEquals(4f, same.get(0, 0, 0), 1e-5f);  // 4 of 9 taps on the image: 9 * 4/9
        assertEquals(6f, same.get(0, 0, 1), 1e-5f);  // 6 of 9
        assertEquals(9f, same.get(0, 1, 1), 1e-5f);
        // box on a ramp: the mean of the 3x3 neighbourhood
        Image ramp = Image.zeros(1, 3, 3);
        for (int i = 0; i < 9; i++) ramp.data()[i] = i;
        assertEquals(4f, ImageFilters.convolve(ramp, Filters.named("box3", Double.NaN), 1, Padding.VALID).data()[0], 1e-5f);
    }

    @Test
    void seedWorkedExampleAndStride() {
        float[] in = {1, 0, 0, 0, 0, 1, 0, 1, 0, 0, 1, 0, 0, 0, 1, 1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 0, 1, 0, 1, 0};
        Image out = ImageFilters.convolve(new Image(1, 6, 6, in), Filters.named("1,0,1;0,1,0;1,0,1", Double.NaN), 1, Padding.VALID);
        assertArrayEquals(new float[] {3, 1, 1, 3, 1, 2, 3, 0, 1, 2, 2, 2, 3, 0, 3, 1}, out.data(), 0f);
        Image strided = ImageFilters.convolve(new Image(1, 6, 6, in), Filters.named("1,0,1;0,1,0;1,0,1", Double.NaN), 2, Padding.VALID);
        assertEquals(2, strided.height()); // (6 - 3) / 2 + 1 = 2 (floored)
        assertArrayEquals(new float[] {3, 1, 1, 2}, strided.data(), 0f);
        Image sameStrided = ImageFilters.convolve(new Image(1, 6, 6, in), Filters.named("identity", Double.NaN), 2, Padding.SAME);
        assertEquals(3, sameStrided.height()); // ceil(6 / 2)
        assertThrows(IllegalArgumentException.class,
                () -> ImageFilters.convolve(new Image(1, 6, 6, in), Filters.named("vertical-line", Double.NaN), 1, Padding.VALID));
        assertThrows(IllegalArgumentException.class,
                () -> ImageFilters.convolve(new Image(1, 6, 6, in), Filters.named("edge", Double.NaN), 0, Padding.VALID));
    }

    @Test
    void lineFiltersSumTheMiddleColumnOrRow() {
        Image img = Image.zeros(1, 7, 7);
        for (int y = 0; y < 7; y++) img.set(0, y, 3, 1f); // a vertical line through the centre
        float v = ImageFilters.convolve(img, Filters.named("vertical-line", Double.NaN), 1, Padding.VALID).data()[0];
        float h = ImageFilters.convolve(img, Filters.named("horizontal-line", Double.NaN), 1, Padding.VALID).data()[0];
        assertEquals(7f, v, 0f);
        assertEquals(1f, h, 0f);
    }

    @Test
    void poolingAsTheSeedsPrintIt() {
        Image img = new Image(1, 4, 4, new float[] {3, -1, 12, -1, -3, 1, 0, 1, 2, -3, 0, 1, 3, -2, 4, -1});
        assertArrayEquals(new float[] {3, 12, 3, 4}, ImageFilters.pool(img, Pool.MAX, 2).data(), 0f);
        assertArrayEquals(new float[] {0, 3, 0, 1}, ImageFilters.pool(img, Pool.AVG, 2).data(), 0f);
        assertArrayEquals(new float[] {-3, -1, -3, -1}, ImageFilters.pool(img, Pool.MIN, 2).data(), 0f);
        Image odd = ImageFilters.pool(Image.zeros(2, 5, 7), Pool.MAX, 2);
        assertEquals(2, odd.channels());
        assertEquals(2, odd.height());
        assertEquals(3, odd.width());
        assertThrows(IllegalArgumentException.class, () -> ImageFilters.pool(img, Pool.MAX, 5));
    }

    @Test
    void rescaleRules() {
        Image img = new Image(1, 1, 4, new float[] {-2, 0, 0.5f, 3});
        assertArrayEquals(new float[] {0, 0, 0.5f, 1}, ImageFilters.rescale(img, Rescale.CLIP).data(), 0f);
        assertArrayEquals(new float[] {0, 0.4f, 0.5f, 1}, ImageFilters.rescale(img, Rescale.MINMAX).data(), 1e-6f);
        assertArrayEquals(new float[] {2 / 3f, 0, 0.5f / 3, 1}, ImageFilters.rescale(img, Rescale.ABS).data(), 1e-6f);
        Image flat = new Image(1, 1, 2, new float[] {5, 5});
        assertArrayEquals(new float[] {0, 0}, ImageFilters.rescale(flat, Rescale.MINMAX).data(), 0f);
    }

    @Test
    void grayUsesBt601() {
        Image rgb = new Image(3, 1, 1, new float[] {1, 0.5f, 0});
        assertEquals(0.299f + 0.5f * 0.587f, ImageFilters.toGray(rgb).data()[0], 1e-6f);
    }

    @Test
    void namedFiltersAndParsing() {
        Kernel g = Filters.gaussian(5, 1.1);
        assertEquals(1.0, g.sum(), 1e-5);
        assertEquals(g.get(0, 1), g.get(1, 0), 0f);
        assertTrue(g.get(2, 2) > g.get(2, 1));
        assertEquals(1.1, Filters.defaultSigma(5), 1e-12);
        assertEquals(7, Filters.named("gaussian7", Double.NaN).height());
        assertEquals(5, Filters.named("box5", Double.NaN).width());
        assertTrue(Filters.named("sharpen", Double.NaN).preservesBrightness());
        assertTrue(Filters.named("emboss", Double.NaN).preservesBrightness());
        assertFalse(Filters.named("edge", Double.NaN).preservesBrightness());
        assertFalse(Filters.named("sobel", Double.NaN).preservesBrightness());
        Kernel k = Filters.parse("[[1, 2], [3, 4]]");
        assertEquals(2, k.height());
        assertArrayEquals(new float[] {1, 2, 3, 4}, k.weights(), 0f);
        assertEquals("[[1,2],[3,4]]", k.matrix());
        assertArrayEquals(new float[] {0.5f, -1, 2}, Filters.parse("0.5 -1 2").weights(), 0f);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Filters.named("1,2;3", Double.NaN));
        assertTrue(e.getMessage().contains("row 2 has 1 values"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Filters.named("blur", Double.NaN));
        assertTrue(e.getMessage().contains("sobel-x"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Filters.named("1,x;3,4", Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> Filters.gaussian(5, 0));
        assertThrows(IllegalArgumentException.class, () -> Filters.named("box0", Double.NaN));
    }
}
