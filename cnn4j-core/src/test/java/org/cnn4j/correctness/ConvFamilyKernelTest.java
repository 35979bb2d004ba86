package org.cnn4j.correctness;

import org.cnn4j.kernels.ConvNd;
import org.cnn4j.kernels.ConvNdGeometry;
import org.cnn4j.kernels.ConvNdReference;
import org.cnn4j.kernels.ConvPad;
import org.cnn4j.kernels.Parallel;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The N-d convolution kernels (every path {@link ConvNd} picks: tuned 2-D kernels for plain 1-D/2-D, direct
 * depthwise loops, grouped im2col + GEMM; batch-parallel and GEMM-parallel) against the plain
 * {@link ConvNdReference}, on ragged shapes; and the padding kernel against hand-written examples.
 */
class ConvFamilyKernelTest {

    private static float[] random(SplittableRandom r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) (r.nextDouble() * 2 - 1);
        return a;
    }

    private static void assertClose(String what, float[] expected, float[] actual, int k) {
        double tol = 2e-6 * Math.max(8, k);
        for (int i = 0; i < expected.length; i++)
            if (!(Math.abs(expected[i] - actual[i]) <= tol * (1 + Math.abs(expected[i]))))
                fail(what + ": element " + i + " expected " + expected[i] + " but was " + actual[i]);
    }

    /** Forward, input gradient, weight and bias gradients of the fast kernels vs the reference. */
    private static void compare(String label, ConvNdGeometry g) {
        SplittableRandom r = new SplittableRandom(label.hashCode());
        float[] x = random(r, g.batch() * g.inPlane()), w = random(r, g.weightSize()), b = random(r, g.outChannels());
        float[] dy = random(r, g.batch() * g.outPlane());
        int k = g.patchSize();
        float[] yRef = new float[dy.length], y = new float[dy.length];
        Arrays.fill(y, Float.NaN); // overwritten, whatever was there
        ConvNdReference.forward(g, x, w, b, yRef);
        ConvNd.forward(g, x, w, b, y);
        assertClose(label + " forward", yRef, y, k);
        float[] dxRef = new float[x.length], dx = new float[x.length];
        Arrays.fill(dx, Float.NaN);
        ConvNdReference.backwardInput(g, dy, w, dxRef);
        ConvNd.backwardInput(g, dy, w, dx);
        assertClose(label + " backward input", dxRef, dx, g.outChannelsPerGroup() * g.kernelVolume());
        float[] dwRef = random(new SplittableRandom(3), w.length), dw = dwRef.clone(); // accumulates
        float[] dbRef = random(new SplittableRandom(4), b.length), db = dbRef.clone();
        ConvNdReference.backwardWeight(g, x, dy, dwRef, dbRef);
        ConvNd.backwardWeight(g, x, dy, dw, db);
        assertClose(label + " backward weight", dwRef, dw, g.batch() * g.outSpatial());
        assertClose(label + " backward bias", dbRef, db, g.batch() * g.outSpatial());
        float[] dwFreshRef = new float[w.length], dwFresh = new float[w.length];
        Arrays.fill(dwFresh, Float.NaN); // a fresh gradient overwrites, whatever was there
        ConvNdReference.backwardWeight(g, x, dy, dwFreshRef, null);
        ConvNd.backwardWeight(g, x, dy, dwFresh, true, null);
        assertClose(label + " backward weight, overwriting", dwFreshRef, dwFresh, g.batch() * g.outSpatial());
        // deterministic: the same call twice gives the same bits
        float[] y2 = new float[y.length];
        ConvNd.forward(g, x, w, b, y2);
        assertArrayEquals(y, y2, label + " forward is deterministic");
    }

    private static ConvNdGeometry conv(int batch, int c, int o, int groups, int[] in, int[] k, int[] s, int[] d,
                                       int[] pb, int[] pa) {
        return ConvNdGeometry.conv(batch, c, o, groups, in, k, s, d, pb, pa);
    }

    @Test
    void oneDimensional() {
        int t = Parallel.threads();
        // plain 1-D: the tuned 2-D kernels with height 1
        compare("1d plain", conv(t + 1, 3, 5, 1, new int[] {17}, new int[] {3}, new int[] {1}, new int[] {1},
                new int[] {1}, new int[] {2}));
        compare("1d stride 3", conv(1, 2, 4, 1, new int[] {19}, new int[] {4}, new int[] {3}, new int[] {1},
                new int[] {0}, new int[] {0}));
        compare("1d dilated grouped", conv(t + 2, 6, 4, 2, new int[] {23}, new int[] {3}, new int[] {2}, new int[] {3},
                new int[] {2}, new int[] {1}));
        compare("1d depthwise x2", conv(3, 4, 8, 4, new int[] {13}, new int[] {5}, new int[] {1}, new int[] {2},
                new int[] {4}, new int[] {4}));
    }

    @Test
    void twoDimensional() {
        int t = Parallel.threads();
        compare("2d dilation 2", conv(t, 3, 4, 1, new int[] {9, 11}, new int[] {3, 3}, new int[] {1, 1},
                new int[] {2, 2}, new int[] {2, 2}, new int[] {2, 2}));
        compare("2d dilation (2,3) stride (2,1), batch 1", conv(1, 2, 3, 1, new int[] {10, 12}, new int[] {3, 2},
                new int[] {2, 1}, new int[] {2, 3}, new int[] {1, 0}, new int[] {0, 2}));
        compare("2d groups 3", conv(t + 1, 6, 9, 3, new int[] {7, 8}, new int[] {3, 3}, new int[] {1, 1},
                new int[] {1, 1}, new int[] {1, 1}, new int[] {1, 1}));
        compare("2d groups 2 stride 2 asym", conv(2, 4, 6, 2, new int[] {9, 7}, new int[] {3, 3}, new int[] {2, 2},
                new int[] {1, 1}, new int[] {0, 1}, new int[] {1, 0}));
        compare("2d depthwise s1", conv(t + 1, 5, 5, 5, new int[] {11, 13}, new int[] {3, 3}, new int[] {1, 1},
                new int[] {1, 1}, new int[] {1, 1}, new int[] {1, 1}));
        compare("2d depthwise s2", conv(2, 5, 5, 5, new int[] {12, 9}, new int[] {3, 3}, new int[] {2, 2},
                new int[] {1, 1}, new int[] {1, 1}, new int[] {1, 1}));
        compare("2d depthwise 5x5 multiplier 3 dilated", conv(1, 2, 6, 2, new int[] {14, 15}, new int[] {5, 5},
                new int[] {1, 2}, new int[] {2, 1}, new int[] {4, 2}, new int[] {3, 2}));
        compare("2d depthwise wide rows (vector dot)", conv(2, 3, 3, 3, new int[] {5, 70}, new int[] {3, 3},
                new int[] {1, 1}, new int[] {1, 1}, new int[] {1, 1}, new int[] {1, 1}));
        compare("2d 1x1 plain, batch-parallel GEMMs", conv(t + 1, 5, 7, 1, new int[] {12, 13}, new int[] {1, 1},
                new int[] {1, 1}, new int[] {1, 1}, new int[] {0, 0}, new int[] {0, 0}));
        compare("2d 1x1 plain, batch 1", conv(1, 6, 3, 1, new int[] {16, 9}, new int[] {1, 1},
                new int[] {1, 1}, new int[] {1, 1}, new int[] {0, 0}, new int[] {0, 0}));
        compare("2d 1x1 groups 4", conv(3, 8, 12, 4, new int[] {5, 6}, new int[] {1, 1}, new int[] {1, 1},
                new int[] {1, 1}, new int[] {0, 0}, new int[] {0, 0}));
    }

    @Test
    void threeDimensional() {
        int t = Parallel.threads();
        compare("3d plain", conv(t, 2, 3, 1, new int[] {5, 6, 7}, new int[] {3, 3, 3}, new int[] {1, 1, 1},
                new int[] {1, 1, 1}, new int[] {1, 1, 1}, new int[] {1, 1, 1}));
        compare("3d stride (2,1,3) kernel (2,3,2) batch 1", conv(1, 3, 4, 1, new int[] {6, 5, 9}, new int[] {2, 3, 2},
                new int[] {2, 1, 3}, new int[] {1, 1, 1}, new int[] {0, 1, 1}, new int[] {1, 0, 1}));
        compare("3d groups 2 dilation 2", conv(t + 1, 4, 2, 2, new int[] {6, 6, 6}, new int[] {2, 2, 2},
                new int[] {1, 1, 1}, new int[] {2, 2, 2}, new int[] {1, 0, 1}, new int[] {1, 1, 0}));
        compare("3d depthwise", conv(2, 3, 3, 3, new int[] {4, 5, 6}, new int[] {3, 3, 3}, new int[] {2, 1, 1},
                new int[] {1, 1, 1}, new int[] {1, 1, 1}, new int[] {1, 1, 1}));
    }

    @Test
    void transposedGeometryIsTheAdjoint() {
        // <conv(z), x> == <z, conv^T(x)> for the geometry a transposed conv uses, including output_padding's
        // extra row that no output reads
        ConvNdGeometry g = ConvNdGeometry.transposed(2, 3, 4, 1, new int[] {4, 5}, new int[] {8, 10},
                new int[] {3, 3}, new int[] {2, 2}, new int[] {1, 1}, new int[] {1, 1});
        SplittableRandom r = new SplittableRandom(9);
        float[] z = random(r, g.batch() * g.inPlane()), x = random(r, g.batch() * g.outPlane()), w = random(r, g.weightSize());
        float[] cz = new float[x.length], ctx = new float[z.length];
        ConvNd.forward(g, z, w, null, cz);
        ConvNd.backwardInput(g, x, w, ctx);
        double a = 0, b = 0;
        for (int i = 0; i < x.length; i++) a += (double) cz[i] * x[i];
        for (int i = 0; i < z.length; i++) b += (double) z[i] * ctx[i];
        assertEquals(a, b, 1e-4 * Math.abs(a));
        compare("transposed 2d s2 p1 op1", g);
    }

    @Test
    void paddingModesOnOneAxis() {
        float[] x = {1, 2, 3};
        int[] in = {1, 1, 3}, before = {0, 0, 2}, after = {0, 0, 2};
        float[] y = new float[7];
        ConvPad.forward(ConvPad.Mode.REFLECT, 1, in, before, after, x, y);
        assertArrayEquals(new float[] {3, 2, 1, 2, 3, 2, 1}, y);
        ConvPad.forward(ConvPad.Mode.REPLICATE, 1, in, before, after, x, y);
        assertArrayEquals(new float[] {1, 1, 1, 2, 3, 3, 3}, y);
        ConvPad.forward(ConvPad.Mode.CIRCULAR, 1, in, before, after, x, y);
        assertArrayEquals(new float[] {2, 3, 1, 2, 3, 1, 2}, y);
        ConvPad.forward(ConvPad.Mode.ZEROS, 1, in, before, after, x, y);
        assertArrayEquals(new float[] {0, 0, 1, 2, 3, 0, 0}, y);
        // backward adds every copy back: reflect reads x[1] three times, x[0] and x[2] twice each
        float[] dx = new float[3];
        ConvPad.backward(ConvPad.Mode.REFLECT, 1, in, before, after, new float[] {1, 1, 1, 1, 1, 1, 1}, dx);
        assertArrayEquals(new float[] {2, 3, 2}, dx);
    }

    @Test
    void paddingModesOnTwoAxes() {
        // 2x3 image, reflect by (1, 1) rows and (2, 0) columns
        float[] x = {1, 2, 3, 4, 5, 6};
        float[] y = new float[4 * 5];
        ConvPad.forward(ConvPad.Mode.REFLECT, 1, new int[] {1, 2, 3}, new int[] {0, 1, 2}, new int[] {0, 1, 0}, x, y);
        assertArrayEquals(new float[] {
                6, 5, 4, 5, 6,
                3, 2, 1, 2, 3,
                6, 5, 4, 5, 6,
                3, 2, 1, 2, 3}, y);
    }
}
