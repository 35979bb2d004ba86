package org.cnn4j.correctness;

import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Seeded small test inputs for the gradient checks. */
final class TestTensors {
    private TestTensors() {}

    /** Uniform in [low, high), requiring a gradient. */
    static Tensor uniform(long seed, double low, double high, int... shape) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] d = new float[Shape.size(shape)];
        for (int i = 0; i < d.length; i++) d[i] = (float) (low + (high - low) * r.nextDouble());
        return Tensor.of(d, shape).requiresGrad(true);
    }

    /** Uniform in [-1, 1) but at least {@code gap} away from 0 (no ReLU kink within a finite-difference step). */
    static Tensor awayFromZero(long seed, double gap, int... shape) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] d = new float[Shape.size(shape)];
        for (int i = 0; i < d.length; i++) {
            double v = gap + (1 - gap) * r.nextDouble();
            d[i] = (float) (r.nextBoolean() ? v : -v);
        }
        return Tensor.of(d, shape).requiresGrad(true);
    }

    /**
     * Distinct values spaced {@code step} apart in a seeded random order, centred on 0: a max over any
     * window has a unique winner that a perturbation smaller than step/2 cannot change.
     */
    static Tensor distinct(long seed, double step, int... shape) {
        int n = Shape.size(shape);
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) perm[i] = i;
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1), t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        float[] d = new float[n];
        for (int i = 0; i < n; i++) d[i] = (float) ((perm[i] - n / 2.0) * step);
        return Tensor.of(d, shape).requiresGrad(true);
    }

    /** Overwrites a parameter's values with seeded uniform ones in [low, high). */
    static void fill(Tensor t, long seed, double low, double high) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) d[i] = (float) (low + (high - low) * r.nextDouble());
    }

    /** max |expected - actual| within rtol of the largest |expected| (at least {@code minScale}). */
    static void assertCloseToScale(String what, float[] expected, float[] actual, double rtol, double minScale) {
        assertEquals(expected.length, actual.length, what);
        double scale = minScale, worst = 0;
        for (int i = 0; i < expected.length; i++) {
            scale = Math.max(scale, Math.abs(expected[i]));
            worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
        }
        assertTrue(worst <= rtol * scale,
                what + ": max difference " + worst + " > " + rtol + " * " + scale);
    }
}
