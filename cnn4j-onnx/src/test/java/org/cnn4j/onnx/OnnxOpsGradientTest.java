package org.cnn4j.onnx;

import org.cnn4j.onnx.ops.ClipOp;
import org.cnn4j.onnx.ops.PadOp;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Finite-difference gradient checks of the ops cnn4j-onnx adds (the same method as cnn4j-core's
 * GradCheck): L = sum r_i y_i with fixed random r; analytic y.backward(r) against central differences
 * (float steps of 1e-3, the representable step used), per tensor ||a - n|| <= 1e-2 ||n|| + 1e-3 sqrt(numel),
 * and the numeric gradient must not vanish.
 */
class OnnxOpsGradientTest {
    private static Tensor param(long seed, int... shape) {
        Tensor t = OnnxExportTest.random(seed, shape);
        return t.requiresGrad(true);
    }

    private static void check(String label, Supplier<Tensor> f, Tensor... inputs) {
        for (Tensor t : inputs) t.zeroGrad();
        Tensor y = f.get();
        SplittableRandom rng = new SplittableRandom(11);
        float[] r = new float[y.numel()];
        for (int i = 0; i < r.length; i++) r[i] = (float) (rng.nextDouble() * 2 - 1);
        y.backward(r);
        for (int k = 0; k < inputs.length; k++) {
            Tensor x = inputs[k];
            float[] analytic = x.grad().data().clone(), d = x.data();
            double diff = 0, norm = 0;
            for (int i = 0; i < d.length; i++) {
                float orig = d[i];
                float hi = orig + 1e-3f, lo = orig - 1e-3f;
                d[i] = hi;
                double lp = dot(f.get(), r);
                d[i] = lo;
                double lm = dot(f.get(), r);
                d[i] = orig;
                double numeric = (lp - lm) / ((double) hi - lo);
                diff += (analytic[i] - numeric) * (analytic[i] - numeric);
                norm += numeric * numeric;
            }
            diff = Math.sqrt(diff);
            norm = Math.sqrt(norm);
            assertTrue(norm > 1e-2, label + " input " + k + ": numeric gradient vanishes");
            assertTrue(diff <= 1e-2 * norm + 1e-3 * Math.sqrt(d.length), label + " input " + k + ": |a - n| = " + diff + ", |n| = " + norm);
        }
    }

    private static double dot(Tensor y, float[] r) {
        double s = 0;
        for (int i = 0; i < r.length; i++) s += (double) y.data()[i] * r[i];
        return s;
    }

    @Test
    void pad() {
        Tensor x = param(1, 2, 2, 3, 4);
        for (PadOp.Mode mode : PadOp.Mode.values())
            check("Pad " + mode, () -> PadOp.apply(x, new long[] {0, 0, 2, 1, 0, 0, 1, 2}, mode, 0.5f), x);
        check("Pad cropping", () -> PadOp.apply(x, new long[] {0, 0, -1, 1, 0, 0, 1, -2}, PadOp.Mode.CONSTANT, 0f), x);
    }

    @Test
    void clip() {
        Tensor x = param(2, 3, 7);
        check("Clip", () -> ClipOp.apply(x, -0.4f, 0.3f), x);
    }
}
