package org.cnn4j.kernels;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The Vector API update kernels equal the scalar loops bit for bit (same IEEE operations per element),
 * on a ragged length that leaves a scalar tail, and the scalar loops follow their documented formulas.
 */
class OptimizerKernelsTest {
    private static final int N = 1000 + 13;

    private static float[] random(long seed, float scale, boolean positive) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] a = new float[N];
        for (int i = 0; i < N; i++) a[i] = (float) ((positive ? r.nextDouble() : r.nextDouble() * 2 - 1) * scale);
        return a;
    }

    /** Arrays: w, g, s1, s2, s3 (state; s2/s3 non-negative second moments). */
    private static float[][] inputs() {
        return new float[][] {random(1, 1, false), random(2, 0.5f, false), random(3, 0.1f, false), random(4, 0.01f, true),
                random(5, 0.02f, true)};
    }

    private static float[][] copy(float[][] a) {
        float[][] c = new float[a.length][];
        for (int i = 0; i < a.length; i++) c[i] = a[i].clone();
        return c;
    }

    private static void assertSame(float[][] scalar, float[][] vector, String what) {
        for (int i = 0; i < scalar.length; i++) assertArrayEquals(scalar[i], vector[i], what + ": array " + i);
    }

    @Test
    void vectorPathsEqualScalarPathsBitForBit() {
        assumeTrue(VectorSupport.ENABLED, "Vector API not enabled");
        for (boolean ams : new boolean[] {false, true}) {
            float[][] s = inputs(), v = copy(s);
            OptimizerKernels.adamScalar(s[0], s[1], s[2], s[3], ams ? s[4] : null, 0.9f, 0.999f, 1e-8f, 0.01f, 0.999f, 0.01f, 0.3f, 0, N);
            OptimizerKernelsVector.adam(v[0], v[1], v[2], v[3], ams ? v[4] : null, 0.9f, 0.999f, 1e-8f, 0.01f, 0.999f, 0.01f, 0.3f, 0, N);
            assertSame(s, v, "adam amsgrad=" + ams);
        }
        for (int variant = 0; variant < 4; variant++) {
            boolean centered = (variant & 1) != 0, momentum = (variant & 2) != 0;
            float[][] s = inputs(), v = copy(s);
            OptimizerKernels.rmspropScalar(s[0], s[1], s[4], centered ? s[2] : null, momentum ? s[3] : null, 0.01f, 0.99f, 1e-8f,
                    0.05f, 0.5f, 0, N);
            OptimizerKernelsVector.rmsprop(v[0], v[1], v[4], centered ? v[2] : null, momentum ? v[3] : null, 0.01f, 0.99f, 1e-8f,
                    0.05f, 0.5f, 0, N);
            assertSame(s, v, "rmsprop centered=" + centered + " momentum=" + momentum);
        }
        for (int variant = 0; variant < 4; variant++) {
            boolean first = (variant & 1) != 0, nesterov = (variant & 2) != 0;
            float[][] s = inputs(), v = copy(s);
            OptimizerKernels.sgdScalar(s[0], s[1], s[2], first, 0.1f, 0.9f, 1f, 1e-4f, nesterov, 0, N);
            OptimizerKernelsVector.sgd(v[0], v[1], v[2], first, 0.1f, 0.9f, 1f, 1e-4f, nesterov, 0, N);
            assertSame(s, v, "sgd first=" + first + " nesterov=" + nesterov);
        }
        float[][] s = inputs(), v = copy(s);
        OptimizerKernels.sgdScalar(s[0], s[1], null, false, 0.1f, 0f, 1f, 1e-4f, false, 0, N);
        OptimizerKernelsVector.sgd(v[0], v[1], null, false, 0.1f, 0f, 1f, 1e-4f, false, 0, N);
        assertSame(s, v, "sgd without momentum");
        s = inputs();
        v = copy(s);
        OptimizerKernels.adagradScalar(s[0], s[1], s[3], 0.05f, 1e-10f, 0.01f, 0, N);
        OptimizerKernelsVector.adagrad(v[0], v[1], v[3], 0.05f, 1e-10f, 0.01f, 0, N);
        assertSame(s, v, "adagrad");
        s = inputs();
        v = copy(s);
        OptimizerKernels.nadamScalar(s[0], s[1], s[2], s[3], 0.9f, 0.999f, 1e-8f, 0.01f, 0.002f, -0.01f, -0.02f, 0, N);
        OptimizerKernelsVector.nadam(v[0], v[1], v[2], v[3], 0.9f, 0.999f, 1e-8f, 0.01f, 0.002f, -0.01f, -0.02f, 0, N);
        assertSame(s, v, "nadam");
    }

    @Test
    void adamFollowsItsFormulaOnOneElement() {
        float[] w = {0.5f}, g = {0.2f}, m = {0.1f}, v = {0.04f};
        float b1 = 0.9f, b2 = 0.999f, eps = 1e-8f, wd = 0.1f, step = 0.01f, sqrtBc2 = 0.5f;
        OptimizerKernels.adam(w, g, m, v, null, b1, b2, eps, wd, 1f, step, sqrtBc2);
        double gi = 0.2 + 0.1 * 0.5, mi = 0.9 * 0.1 + 0.1 * gi, vi = 0.999 * 0.04 + 0.001 * gi * gi;
        assertEquals(mi, m[0], 1e-6);
        assertEquals(vi, v[0], 1e-6);
        assertEquals(0.5 - 0.01 * mi / (Math.sqrt(vi) / 0.5 + 1e-8), w[0], 1e-6);
    }

    @Test
    void penaltyAndItsGradient() {
        float[] w = {1f, -2f, 0f, 3f};
        assertEquals(0.1 * 6 + 0.01 * 14, OptimizerKernels.l1l2Penalty(w, 0.1f, 0.01f), 1e-7);
        float[] grad = {1f, 1f, 1f, 1f};
        OptimizerKernels.addL1L2Gradient(w, grad, 0.1f, 0.01f, 2f);
        assertArrayEquals(new float[] {1 + 2 * (0.1f + 0.02f), 1 + 2 * (-0.1f - 0.04f), 1f, 1 + 2 * (0.1f + 0.06f)}, grad, 1e-6f);
    }
}
