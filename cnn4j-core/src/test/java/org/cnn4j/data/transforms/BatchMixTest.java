package org.cnn4j.data.transforms;

import org.cnn4j.data.Batch;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** MixUp and CutMix: mixed inputs, soft targets that sum to 1 and weigh the two labels by lambda / area. */
class BatchMixTest {
    /** B samples [1, 8, 8], sample i constant (i + 1), label i % classes. */
    private static Batch batch(int b, int classes) {
        float[] x = new float[b * 64];
        int[] y = new int[b];
        for (int i = 0; i < b; i++) {
            java.util.Arrays.fill(x, i * 64, (i + 1) * 64, i + 1);
            y[i] = i % classes;
        }
        return new Batch(Tensor.of(x, b, 1, 8, 8), y);
    }

    private static void rowsSumToOne(Tensor soft) {
        int b = soft.size(0), c = soft.size(1);
        for (int i = 0; i < b; i++) {
            double s = 0;
            for (int j = 0; j < c; j++) {
                float v = soft.data()[i * c + j];
                assertTrue(v >= 0 && v <= 1);
                s += v;
            }
            assertEquals(1.0, s, 1e-6, "row " + i);
        }
    }

    @Test
    void mixUpMixesWithThePreviousSample() {
        Batch in = batch(5, 5);
        for (long seed = 0; seed < 20; seed++) {
            Batch out = new MixUp(5, 0.4).apply(in, new SplittableRandom(seed));
            Tensor soft = out.softTargets();
            assertNotNull(soft);
            rowsSumToOne(soft);
            for (int i = 0; i < 5; i++) {
                int j = (i + 4) % 5;
                float lam = soft.data()[i * 5 + i];
                assertEquals(1 - lam, soft.data()[i * 5 + j], 1e-6);
                // x_i = lam (i + 1) + (1 - lam) (j + 1), the same lambda for every sample
                assertEquals(lam * (i + 1) + (1 - lam) * (j + 1), out.inputs().data()[i * 64 + 17], 1e-5);
                assertEquals(soft.data()[0], lam, 1e-6);
                assertEquals(lam >= 0.5 ? i : j, out.labels()[i], "dominant class");
            }
        }
        assertEquals(1f, in.inputs().data()[0], "the input batch is not modified");
        // not applied: one-hot targets, inputs unchanged
        Batch off = new MixUp(5, 1, 0).apply(in, new SplittableRandom(1));
        assertArrayEquals(in.inputs().data(), off.inputs().data());
        assertEquals(1f, off.softTargets().data()[0]);
        rowsSumToOne(off.softTargets());
        assertThrows(IllegalArgumentException.class, () -> new MixUp(10, 0));
        assertThrows(IllegalArgumentException.class, () -> new MixUp(3, 1).apply(batch(5, 5), new SplittableRandom(1)));
    }

    @Test
    void betaDrawsHaveTheRightMean() {
        SplittableRandom rng = new SplittableRandom(8);
        for (double alpha : new double[] {0.2, 1, 2}) {
            double s = 0, s2 = 0;
            int n = 20000;
            for (int i = 0; i < n; i++) {
                double v = Beta.symmetric(alpha, rng);
                assertTrue(v >= 0 && v <= 1);
                s += v;
                s2 += v * v;
            }
            double mean = s / n, var = s2 / n - mean * mean;
            assertEquals(0.5, mean, 0.01, "alpha " + alpha);
            assertEquals(1 / (4 * (2 * alpha + 1)), var, 0.01, "variance, alpha " + alpha);
        }
    }

    @Test
    void cutMixPastesABoxAndWeighsByArea() {
        Batch in = batch(4, 10);
        for (long seed = 0; seed < 30; seed++) {
            Batch out = new CutMix(10, 1.0).apply(in, new SplittableRandom(seed));
            rowsSumToOne(out.softTargets());
            for (int i = 0; i < 4; i++) {
                int j = (i + 3) % 4, kept = 0;
                for (int k = 0; k < 64; k++) {
                    float v = out.inputs().data()[i * 64 + k];
                    assertTrue(v == i + 1 || v == j + 1, "pixels come from the sample or its partner");
                    if (v == i + 1) kept++;
                }
                float lam = out.softTargets().data()[i * 10 + i];
                assertEquals(kept / 64.0, lam, 1e-6, "lambda is the kept area");
                assertEquals(1 - lam, out.softTargets().data()[i * 10 + j], 1e-6);
            }
        }
        // the box for lambda 0.75 at the centre: r = 0.25, half sizes 2, rows and columns [2, 6)
        assertArrayEquals(new int[] {2, 6, 2, 6}, CutMix.box(8, 8, 0.75, 4, 4));
        assertArrayEquals(new int[] {0, 3, 5, 8}, CutMix.box(8, 8, 0.75, 1, 7));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new CutMix(2, 1).apply(new Batch(Tensor.zeros(2, 4), new int[] {0, 1}), new SplittableRandom(1)));
        assertTrue(e.getMessage().contains("[B, C, H, W]"), e.getMessage());
    }
}
