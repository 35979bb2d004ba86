package org.cnn4j.kernels;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The vectorised inner loops against their scalar references, on ragged lengths and offsets. */
class LoopsTest {
    private static float[] random(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) (r.nextDouble() * 2 - 1);
        return a;
    }

    @Test
    void reductionsMatchTheScalarReference() {
        float[] a = random(1000, 1), b = random(1000, 2);
        for (int len : new int[] {0, 1, 15, 16, 17, 33, 100, 777}) {
            for (int off : new int[] {0, 3}) {
                assertEquals(Loops.sumScalar(a, off, len), Loops.sum(a, off, len), 1e-4f, "sum len " + len);
                assertEquals(Loops.sumSquaredDeviationScalar(a, off, len, 0.1f), Loops.sumSquaredDeviation(a, off, len, 0.1f),
                        1e-4f, "sumSquaredDeviation len " + len);
                assertEquals(Loops.dotCenteredScalar(a, off, b, 5, len, -0.2f), Loops.dotCentered(a, off, b, 5, len, -0.2f),
                        1e-4f, "dotCentered len " + len);
            }
        }
    }

    @Test
    void reluBackwardMatchesTheScalarReference() {
        float[] y = random(203, 3), dy = random(203, 4);
        for (int i = 0; i < y.length; i += 7) y[i] = 0f; // exactly zero gets no gradient
        for (boolean accumulate : new boolean[] {false, true}) {
            float[] expected = random(203, 5), actual = expected.clone();
            Loops.reluBackwardScalar(y, dy, expected, 2, 199, accumulate);
            Loops.reluBackward(y, dy, actual, 2, 199, accumulate);
            assertArrayEquals(expected, actual, 0f);
        }
        float[] maskedScalar = new float[210], masked = new float[210];
        Loops.reluMaskScalar(y, dy, 3, maskedScalar, 7, 190);
        Loops.reluMask(y, dy, 3, masked, 7, 190);
        assertArrayEquals(maskedScalar, masked, 0f);
    }

    @Test
    void batchNormForwardNormalisesEachChannel() {
        int n = 3, c = 2, inner = 5;
        float[] x = random(n * c * inner, 6), y = new float[x.length];
        float[] mean = new float[c], var = new float[c], invStd = new float[c];
        NormKernels.batchNormTrainForward(x, n, c, inner, new float[] {2f, 1f}, new float[] {0f, 3f}, 1e-5f, false, y, mean, var, invStd);
        for (int ch = 0; ch < c; ch++) {
            double s = 0, sq = 0;
            for (int b = 0; b < n; b++) for (int i = 0; i < inner; i++) s += y[(b * c + ch) * inner + i];
            double m = s / (n * inner);
            for (int b = 0; b < n; b++) for (int i = 0; i < inner; i++) sq += Math.pow(y[(b * c + ch) * inner + i] - m, 2);
            assertEquals(ch == 0 ? 0 : 3, m, 1e-5, "beta is the new mean");
            assertEquals(ch == 0 ? 4 : 1, sq / (n * inner), 1e-3, "gamma^2 is the new variance");
        }
    }
}
