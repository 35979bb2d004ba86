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
    @Test
    void batchNormRowSweepsMatchTheScalarReferenceBitForBit() {
        int len = 203;
        float[] x = random(len + 9, 7), g = random(len + 5, 8), center = random(len, 9), k = random(len, 10);
        float[] a = random(len, 11), bias = random(len, 12);
        float[] acc = random(len, 13), accScalar = acc.clone(), acc2 = random(len, 14), acc2Scalar = acc2.clone();
        Loops.addRow(x, 9, acc, len);
        Loops.addRowScalar(x, 9, accScalar, len);
        assertArrayEquals(accScalar, acc, 0f, "addRow");
        Loops.addSquaredDeviationsRow(x, 4, center, acc, len);
        Loops.addSquaredDeviationsRowScalar(x, 4, center, accScalar, len);
        assertArrayEquals(accScalar, acc, 0f, "addSquaredDeviationsRow");
        Loops.addGradientSumsRow(g, 5, x, 2, center, acc, acc2, len);
        Loops.addGradientSumsRowScalar(g, 5, x, 2, center, accScalar, acc2Scalar, len);
        assertArrayEquals(accScalar, acc, 0f, "addGradientSumsRow, sum of g");
        assertArrayEquals(acc2Scalar, acc2, 0f, "addGradientSumsRow, sum of centred x times g");
        for (boolean flag : new boolean[] {false, true}) {
            float[] y = random(len + 9, 15), yScalar = y.clone();
            Loops.affineRow(x, 9, k, a, y, flag, len);
            Loops.affineRowScalar(x, 9, k, a, 0, yScalar, flag, len);
            assertArrayEquals(yScalar, y, 0f, "affineRow relu " + flag);
            Loops.linearRow(k, g, 1, a, x, 6, bias, y, flag, len);
            Loops.linearRowScalar(k, g, 1, a, x, 6, bias, yScalar, flag, len);
            assertArrayEquals(yScalar, y, 0f, "linearRow accumulate " + flag);
        }
    }

    /** The small-plane row sweeps of batch norm against the per-plane kernels, on ragged plane sizes. */
    @Test
    void batchNormSweepsMatchThePerPlaneKernels() {
        for (int inner : new int[] {1, 3, 17, 64, 100}) {
            for (boolean relu : new boolean[] {false, true}) {
                int n = 5, c = 7, len = n * c * inner;
                float[] x = random(len, inner), dy = random(len, 20 + inner), gamma = random(c, 30), beta = random(c, 31);
                float[] yPlanes = new float[len], ySweep = new float[len];
                float[][] statsPlanes = new float[3][c], statsSweep = new float[3][c];
                NormKernels.trainForwardPlanes(x, n, c, inner, gamma, beta, 1e-5f, relu, yPlanes, statsPlanes[0],
                        statsPlanes[1], statsPlanes[2]);
                NormKernels.trainForwardSweep(x, n, c, inner, relu ? gamma : null, relu ? beta : null, 1e-5f, relu,
                        ySweep, statsSweep[0], statsSweep[1], statsSweep[2]);
                if (relu) assertArrayEquals(yPlanes, ySweep, 1e-5f, "y, inner " + inner);
                for (int s = 0; s < 3; s++) assertArrayEquals(statsPlanes[s], statsSweep[s], 1e-5f, "stats " + s);
                for (boolean accumulate : new boolean[] {false, true}) {
                    float[] dxPlanes = random(len, 40), dxSweep = dxPlanes.clone();
                    float[] dgPlanes = random(c, 41), dgSweep = dgPlanes.clone(), dbPlanes = random(c, 42), dbSweep = dbPlanes.clone();
                    float[] reluOutput = relu ? yPlanes : null;
                    NormKernels.trainBackwardPlanes(x, dy, reluOutput, n, c, inner, gamma, statsPlanes[0], statsPlanes[2],
                            dxPlanes, accumulate, dgPlanes, dbPlanes);
                    NormKernels.trainBackwardSweep(x, dy, reluOutput, n, c, inner, gamma, statsPlanes[0], statsPlanes[2],
                            dxSweep, accumulate, dgSweep, dbSweep);
                    String where = "inner " + inner + " relu " + relu + " accumulate " + accumulate;
                    assertArrayEquals(dxPlanes, dxSweep, 1e-4f, "dx, " + where);
                    assertArrayEquals(dgPlanes, dgSweep, 1e-4f, "dgamma, " + where);
                    assertArrayEquals(dbPlanes, dbSweep, 1e-4f, "dbeta, " + where);
                }
            }
        }
    }
}
