package org.cnn4j.loss;

import org.cnn4j.autograd.Autograd;
import org.cnn4j.data.Batch;
import org.cnn4j.io.SafeTensors;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Cross-entropy with probability targets: PyTorch parity, finite differences, and agreement with hard labels. */
class SoftTargetCrossEntropyTest {
    private final CrossEntropyLoss ce = new CrossEntropyLoss();

    private static Map<String, Tensor> fixture() throws Exception {
        URL url = SoftTargetCrossEntropyTest.class.getResource("/fixtures/soft_ce_torch.safetensors");
        assertNotNull(url, "run tools/fixtures/make_soft_ce_fixture.py");
        return SafeTensors.read(Path.of(url.toURI())).tensors();
    }

    private static double relError(float[] a, float[] e) {
        double d = 0, r = 0;
        for (int i = 0; i < a.length; i++) {
            d += (a[i] - (double) e[i]) * (a[i] - (double) e[i]);
            r += (double) e[i] * e[i];
        }
        return Math.sqrt(d / r);
    }

    @Test
    void matchesPyTorchLossAndGradient() throws Exception {
        Map<String, Tensor> f = fixture();
        for (String prefix : new String[] {"", "big."}) {
            Tensor z = f.get(prefix + "logits").copy().requiresGrad(true);
            Tensor loss = ce.apply(z, f.get(prefix + "targets"));
            float expected = f.get(prefix + "loss").item();
            assertEquals(expected, loss.item(), 1e-4 * Math.abs(expected), prefix + "loss");
            loss.backward();
            double rel = relError(z.grad().data(), f.get(prefix + "dlogits").data());
            assertTrue(rel <= 1e-4, prefix + "gradient: relative error " + rel);
            System.out.printf("soft cross-entropy %s: loss %.6f vs torch %.6f, gradient relative error %.2e%n",
                    prefix.isEmpty() ? "normal" : "large logits", loss.item(), expected, rel);

            // the hard-label path on the same logits, unchanged
            float[] hf = f.get(prefix + "hard_labels").data();
            int[] hard = new int[hf.length];
            for (int i = 0; i < hard.length; i++) hard[i] = (int) hf[i];
            float hardExpected = f.get(prefix + "hard_loss").item();
            assertEquals(hardExpected, ce.apply(f.get(prefix + "logits"), hard).item(), 1e-4 * Math.abs(hardExpected));
        }
    }

    @Test
    void finiteDifferenceGradient() {
        SplittableRandom rng = new SplittableRandom(3);
        int n = 4, c = 5;
        float[] z = new float[n * c], p = new float[n * c];
        for (int i = 0; i < z.length; i++) z[i] = (float) (rng.nextDouble() * 4 - 2);
        for (int r = 0; r < n; r++) {
            double s = 0;
            for (int j = 0; j < c; j++) s += p[r * c + j] = (float) rng.nextDouble();
            for (int j = 0; j < c; j++) p[r * c + j] /= (float) (r == n - 1 ? s / 1.5 : s); // last row sums to 1.5
        }
        Tensor logits = Tensor.of(z, n, c).requiresGrad(true);
        Tensor targets = Tensor.of(p, n, c);
        ce.apply(logits, targets).backward();
        float[] analytic = logits.grad().data();
        double eps = 1e-3, diff = 0, ref = 0;
        try (var ignored = Autograd.noGrad()) {
            for (int i = 0; i < z.length; i++) {
                float orig = z[i];
                float plus = (float) (orig + eps), minus = (float) (orig - eps);
                z[i] = plus;
                double lp = ce.apply(logits, targets).item();
                z[i] = minus;
                double lm = ce.apply(logits, targets).item();
                z[i] = orig;
                double numeric = (lp - lm) / ((double) plus - minus);
                assertEquals(numeric, analytic[i], 1e-2 * Math.abs(numeric) + 1e-3, "d loss / d z[" + i + "]");
                diff += (analytic[i] - numeric) * (analytic[i] - numeric);
                ref += numeric * numeric;
            }
        }
        assertTrue(Math.sqrt(ref) > 1e-2, "the gradient must not vanish");
        assertTrue(Math.sqrt(diff / ref) < 1e-2, "relative error " + Math.sqrt(diff / ref));
    }

    @Test
    void oneHotTargetsEqualHardLabels() {
        SplittableRandom rng = new SplittableRandom(9);
        int n = 6, c = 4;
        float[] z = new float[n * c];
        for (int i = 0; i < z.length; i++) z[i] = (float) rng.nextGaussian();
        int[] labels = {0, 3, 2, 2, 1, 0};
        float[] onehot = new float[n * c];
        for (int i = 0; i < n; i++) onehot[i * c + labels[i]] = 1f;
        Tensor a = Tensor.of(z.clone(), n, c).requiresGrad(true), b = Tensor.of(z.clone(), n, c).requiresGrad(true);
        Tensor hard = ce.apply(a, labels), soft = ce.apply(b, Tensor.of(onehot, n, c));
        assertEquals(hard.item(), soft.item(), 1e-6);
        hard.backward();
        soft.backward();
        for (int i = 0; i < z.length; i++) assertEquals(a.grad().data()[i], b.grad().data()[i], 1e-7, "gradient " + i);

        // apply(logits, Batch) takes the soft targets when the batch has them
        Batch withSoft = new Batch(Tensor.zeros(n, 1), labels, Tensor.full(1f / c, n, c));
        assertEquals(Math.log(c) + 0, ce.apply(Tensor.zeros(n, c), withSoft).item(), 1e-6);
        assertEquals(hard.item(), ce.apply(Tensor.of(z.clone(), n, c), new Batch(Tensor.zeros(n, 1), labels)).item(), 1e-6);
    }

    @Test
    void shapeMismatchIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ce.apply(Tensor.zeros(3, 4), Tensor.zeros(3, 5)));
        assertTrue(e.getMessage().contains("[3, 4]") && e.getMessage().contains("[3, 5]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ce.apply(Tensor.zeros(2, 2), Tensor.of(new float[] {Float.NaN, 0, 0, 1}, 2, 2)));
    }
}
