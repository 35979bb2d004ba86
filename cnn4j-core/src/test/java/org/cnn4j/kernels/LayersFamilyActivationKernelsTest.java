package org.cnn4j.kernels;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The vectorised activation kernels against their scalar references, bit for bit, on ragged ranges with
 * the special values (kinks, signed zeros, infinities, NaN: any NaN counts as equal); and the accuracy of the erfc behind GELU.
 */
class LayersFamilyActivationKernelsTest {
    private static final ActivationKernels.Fn[] VECTORISED = {
        ActivationKernels.Fn.RELU6, ActivationKernels.Fn.LEAKY_RELU, ActivationKernels.Fn.HARDSWISH, ActivationKernels.Fn.HARDSIGMOID};

    private static float[] inputs(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] special = {0f, -0f, 3f, -3f, 6f, -6f, 1e-30f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN};
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = i % 5 == 0 ? special[(i / 5) % special.length] : (float) (r.nextDouble() * 16 - 8);
        return a;
    }

    private static void assertBitEqual(float[] expected, float[] actual, String what) {
        for (int i = 0; i < expected.length; i++)
            assertEquals(Float.floatToIntBits(expected[i]), Float.floatToIntBits(actual[i]), // NaN payloads may differ once JIT-compiled
                    what + " at " + i + ": " + expected[i] + " vs " + actual[i]);
    }

    @Test
    void vectorPathsEqualTheScalarReferenceBitForBit() {
        assertTrue(VectorSupport.ENABLED, "the test JVM runs with jdk.incubator.vector");
        float[] x = inputs(301, 1), dy = inputs(301, 2);
        for (ActivationKernels.Fn fn : VECTORISED) {
            for (int[] range : new int[][] {{0, 0}, {0, 1}, {3, 20}, {0, 64}, {5, 301}, {1, 300}}) {
                int s = range[0], e = range[1];
                float[] ys = new float[x.length], yv = new float[x.length], dxs = new float[x.length], dxv = new float[x.length];
                ActivationKernels.forwardScalar(fn, 0.15f, x, ys, s, e);
                ActivationKernelsVector.forward(fn, 0.15f, x, yv, s, e);
                assertBitEqual(ys, yv, fn + " forward [" + s + ", " + e + ")");
                ActivationKernels.backwardScalar(fn, 0.15f, x, ys, dy, dxs, s, e);
                ActivationKernelsVector.backward(fn, 0.15f, x, dy, dxv, s, e);
                assertBitEqual(dxs, dxv, fn + " backward [" + s + ", " + e + ")");
            }
        }
    }

    @Test
    void parallelDispatchCoversEveryElement() {
        int n = (1 << 16) + 37; // more than one chunk
        float[] x = inputs(n, 3), dy = inputs(n, 4);
        for (ActivationKernels.Fn fn : ActivationKernels.Fn.values()) {
            float[] y = new float[n], ref = new float[n], dx = new float[n], dref = new float[n];
            ActivationKernels.forward(fn, 0.2f, x, y, n);
            ActivationKernels.forwardScalar(fn, 0.2f, x, ref, 0, n);
            assertBitEqual(ref, y, fn + " forward");
            ActivationKernels.backward(fn, 0.2f, x, y, dy, dx, n);
            ActivationKernels.backwardScalar(fn, 0.2f, x, ref, dy, dref, 0, n);
            assertBitEqual(dref, dx, fn + " backward");
        }
    }

    @Test
    void erfcHasFloatPrecision() {
        // reference values: Python's math.erfc
        double[][] ref = {{0, 1}, {0.5, 0.4795001221869535}, {-1, 1.8427007929497148}, {2, 0.004677734981047266},
            {4, 1.541725790028002e-8}, {-0.1, 1.1124629160182849}, {1e-3, 0.9988716212090307}, {6, 2.1519736712498913e-17}};
        for (double[] r : ref)
            assertEquals(r[1], ActivationKernels.erfc(r[0]), 1.2e-7 * r[1], "erfc(" + r[0] + ")");
    }

    @Test
    void expBasedTanhIsWithinOneUlpOfMathTanh() {
        for (int bits = 0; bits <= 0x7F800000; bits += 4099) { // every 4099th non-negative float, and its negation
            float f = Float.intBitsToFloat(bits);
            for (float x : new float[] {f, -f}) {
                float expected = (float) Math.tanh(x), actual = (float) ActivationKernels.tanh(x);
                assertTrue(Float.floatToIntBits(expected) == Float.floatToIntBits(actual) || Math.abs(expected - actual) <= Math.ulp(expected),
                        "tanh(" + x + "): " + actual + " vs Math.tanh " + expected);
            }
        }
        assertTrue(Float.isNaN((float) ActivationKernels.tanh(Float.NaN)));
        assertEquals(Float.floatToIntBits(-0f), Float.floatToIntBits((float) ActivationKernels.tanh(-0f)));
    }
}
