package org.cnn4j.nn;

import org.cnn4j.tensor.Rng;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Initialisers: fans exact for every layer kind; each distribution's mean and standard deviation
 * within statistical tolerance of the Keras/PyTorch definition on 2^17 samples, truncation bounds,
 * orthogonality, and the lookup by name.
 */
class InitTest {
    private static final int OUT = 256, IN = 512; // Linear [out, in]: fan_in 512, fan_out 256, n = 131072

    @Test
    void fansFollowPyTorchForEveryLayerKind() {
        assertEquals(new Init.Fans(512, 256), Init.fans(256, 512));                 // Linear [out, in]
        assertEquals(new Init.Fans(3 * 5, 8 * 5), Init.fans(8, 3, 5));              // Conv1d [out, in, k]
        assertEquals(new Init.Fans(3 * 9, 16 * 9), Init.fans(16, 3, 3, 3));         // Conv2d [out, in, kh, kw]
        assertEquals(new Init.Fans(4 * 3 * 5 * 7, 32 * 3 * 5 * 7), Init.fans(32, 4, 3, 5, 7)); // Conv3d
        assertEquals(new Init.Fans(2 * 9, 16 * 9), Init.fans(16, 8 / 4, 3, 3));     // Conv2d groups=4: [out, in/groups, k, k]
        // ConvTranspose2d(in=16, out=6, k=3, groups=2): weight [in, out/groups, k, k]; PyTorch computes from the tensor
        assertEquals(new Init.Fans(3 * 9, 16 * 9), Init.fans(16, 6 / 2, 3, 3));
        assertEquals(new Init.Fans(10, 10), Init.fans(10));                         // bias: Keras' rule
        assertEquals(new Init.Fans(1, 1), Init.fans());
        // the fans a layer passes equal the ones computed from its weight's shape
        Conv2d conv = Conv2d.builder(3, 16, 3).build();
        Init.Fans f = Init.fans(conv.weight().shape());
        assertEquals(27, f.fanIn());
        assertEquals(144, f.fanOut());
    }

    private static float[] draw(Init init) {
        Tensor t = Tensor.zeros(OUT, IN);
        init.fill(t, new SplittableRandom(7));
        return t.data();
    }

    private static double mean(float[] a) {
        double s = 0;
        for (float v : a) s += v;
        return s / a.length;
    }

    private static double std(float[] a) {
        double m = mean(a), s = 0;
        for (float v : a) s += (v - m) * (v - m);
        return Math.sqrt(s / a.length);
    }

    private static double maxAbs(float[] a, double center) {
        double m = 0;
        for (float v : a) m = Math.max(m, Math.abs(v - center));
        return m;
    }

    /** Mean within 5 standard errors, std within 1.5% (the std estimate's error is ~0.2-0.3% at this n). */
    private static void assertMoments(String what, float[] a, double mean, double std) {
        double se = std / Math.sqrt(a.length);
        assertEquals(mean, mean(a), 5 * se + 1e-12, what + ": mean");
        assertEquals(std, std(a), 0.015 * std, what + ": std");
    }

    @Test
    void uniformFamiliesHaveTheirLimits() {
        double[][] cases = {
                {Math.sqrt(6.0 / (IN + OUT))},   // glorot_uniform
                {Math.sqrt(6.0 / IN)},           // he_uniform
                {Math.sqrt(3.0 / IN)},           // lecun_uniform
                {1 / Math.sqrt(IN)},             // PyTorch default
                {Math.sqrt(3) * Math.sqrt(2) / Math.sqrt(OUT)}, // kaiming_uniform(mode=fan_out, relu)
                {2 * Math.sqrt(6.0 / (IN + OUT))}, // xavier_uniform(gain=2)
        };
        Init[] inits = {Init.byName("glorot_uniform"), Init.byName("he_uniform"), Init.byName("lecun_uniform"), Init.byName("default"),
                Init.byName("kaiming_uniform(mode=fan_out, nonlinearity=relu)"), Init.byName("xavier_uniform_(gain=2)")};
        for (int i = 0; i < inits.length; i++) {
            float[] a = draw(inits[i]);
            double limit = cases[i][0];
            assertTrue(maxAbs(a, 0) <= limit, "case " + i + ": beyond the limit");
            assertTrue(maxAbs(a, 0) > 0.999 * limit, "case " + i + ": never near the limit");
            assertMoments("case " + i, a, 0, limit / Math.sqrt(3));
        }
        float[] u = draw(Init.byName("random_uniform(minval=-0.1, maxval=0.3)"));
        assertMoments("uniform(-0.1, 0.3)", u, 0.1, 0.4 / Math.sqrt(12));
        for (float v : u) assertTrue(v >= -0.1f && v <= 0.3f);
        // the default kaiming_uniform is PyTorch's leaky_relu with a = 0: gain sqrt(2)
        assertMoments("kaiming_uniform()", draw(Init.byName("kaiming_uniform")), 0, Math.sqrt(2.0 / IN));
    }

    @Test
    void truncatedNormalsRedrawBeyondTwoStdAndKeepTheIntendedVariance() {
        // Keras' variance scaling divides by .8796..., so the truncated samples have std sqrt(scale / n)
        Object[][] cases = {
                {"glorot_normal", Math.sqrt(2.0 / (IN + OUT))},
                {"he_normal", Math.sqrt(2.0 / IN)},
                {"lecun_normal", Math.sqrt(1.0 / IN)},
                {"variance_scaling(scale=3, mode=fan_out, distribution=truncated_normal)", Math.sqrt(3.0 / OUT)},
        };
        for (Object[] c : cases) {
            float[] a = draw(Init.byName((String) c[0]));
            double std = (double) c[1], drawStd = std / .87962566103423978;
            assertMoments((String) c[0], a, 0, std);
            assertTrue(maxAbs(a, 0) <= 2 * drawStd * (1 + 1e-6), c[0] + ": sample beyond 2 std of the drawing normal");
            assertTrue(maxAbs(a, 0) > 1.95 * drawStd, c[0] + ": no sample near the truncation bound");
        }
        float[] t = draw(Init.byName("truncated_normal(mean=1, stddev=0.5)"));
        assertTrue(maxAbs(t, 1) <= 1.0 + 1e-6);
        assertMoments("truncated_normal", t, 1, 0.5 * .87962566103423978);
    }

    @Test
    void plainNormalsAreUntruncated() {
        float[] k = draw(Init.byName("kaiming_normal(mode=fan_in, nonlinearity=relu)"));
        double std = Math.sqrt(2.0 / IN);
        assertMoments("kaiming_normal", k, 0, std);
        assertTrue(maxAbs(k, 0) > 3 * std, "an untruncated normal of 2^17 samples exceeds 3 std");
        assertMoments("xavier_normal", draw(Init.byName("xavier_normal")), 0, Math.sqrt(2.0 / (IN + OUT)));
        assertMoments("normal", draw(Init.byName("normal(0.5, 0.2)")), 0.5, 0.2);
        assertMoments("random_normal", draw(Init.byName("random_normal")), 0, 0.05);
        assertMoments("kaiming tanh", draw(Init.kaimingNormal(0, "fan_in", "tanh")), 0, 5.0 / 3 / Math.sqrt(IN));
    }

    @Test
    void constantsAndGains() {
        assertTrue(allEqual(draw(Init.byName("zeros")), 0f));
        assertTrue(allEqual(draw(Init.byName("ones")), 1f));
        assertTrue(allEqual(draw(Init.byName("constant(0.25)")), 0.25f));
        assertEquals(Math.sqrt(2.0 / (1 + 0.04)), Init.calculateGain("leaky_relu", 0.2), 1e-15);
        assertEquals(Math.sqrt(2.0 / (1 + 1e-4)), Init.calculateGain("leaky_relu", Double.NaN), 1e-15);
        assertEquals(0.75, Init.calculateGain("selu", 0));
        assertEquals(1.0, Init.calculateGain("conv_transpose2d", 0));
    }

    private static boolean allEqual(float[] a, float v) {
        for (float x : a) if (x != v) return false;
        return true;
    }

    @Test
    void orthogonalRowsOrColumnsAreOrthonormal() {
        int[][] shapes = {{64, 128}, {128, 64}, {16, 4, 3, 3}, {50, 50}};
        for (int[] shape : shapes) {
            Tensor t = Tensor.zeros(shape);
            Init.byName("orthogonal(gain=1.5)").fill(t, new SplittableRandom(3));
            int rows = shape[0], cols = t.numel() / rows;
            boolean byRows = rows <= cols;
            int k = byRows ? rows : cols, len = byRows ? cols : rows;
            double worst = 0;
            for (int i = 0; i < k; i++)
                for (int j = 0; j < k; j++) {
                    double dot = 0;
                    for (int e = 0; e < len; e++) {
                        float a = byRows ? t.data()[i * cols + e] : t.data()[e * cols + i];
                        float b = byRows ? t.data()[j * cols + e] : t.data()[e * cols + j];
                        dot += (double) a * b;
                    }
                    worst = Math.max(worst, Math.abs(dot - (i == j ? 2.25 : 0)));
                }
            assertTrue(worst < 1e-5, java.util.Arrays.toString(shape) + ": |W W^T - gain^2 I| = " + worst);
        }
        assertThrows(IllegalArgumentException.class, () -> Init.orthogonal(1).fill(Tensor.zeros(5)));
    }

    @Test
    void seededThroughTheGlobalGenerator() {
        Rng.manualSeed(11);
        Tensor a = Tensor.zeros(8, 8);
        Init.HE_NORMAL.fill(a);
        Rng.manualSeed(11);
        Tensor b = Tensor.zeros(8, 8);
        Init.byName("he_normal").fill(b);
        assertArrayEquals(a.data(), b.data());
        Tensor c = Tensor.zeros(8, 8);
        Init.HE_NORMAL.fill(c);
        assertNotEquals(a.data()[0], c.data()[0]);
        // layers take an initialiser
        Linear lin = new Linear(4, 3, true, Init.byName("zeros"));
        assertTrue(allEqual(lin.weight().data(), 0f));
    }

    @Test
    void lookupErrorsListTheValidNames() {
        var e = assertThrows(IllegalArgumentException.class, () -> Init.byName("he_normall"));
        assertTrue(e.getMessage().contains("he_normall") && e.getMessage().contains("glorot_uniform")
                && e.getMessage().contains("orthogonal(gain=1)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Init.byName("orthogonal(scale=2)"));
        assertTrue(e.getMessage().contains("no argument 'scale'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Init.byName("constant(abc)"));
        assertTrue(e.getMessage().contains("abc"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Init.byName("kaiming_normal(mode=fan_avg)"));
        assertTrue(e.getMessage().contains("fan_avg"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Init.byName("uniform(1, 0)"));
        assertTrue(e.getMessage().contains("minval=1.0"), e.getMessage());
        assertEquals(Init.HE_NORMAL, Init.named("He-Normal"));
    }
}
