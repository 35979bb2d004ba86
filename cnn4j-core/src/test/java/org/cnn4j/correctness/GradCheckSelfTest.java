package org.cnn4j.correctness;

import org.cnn4j.autograd.Node;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

import static org.cnn4j.correctness.TestTensors.uniform;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The gradient checker itself must reject wrong gradients: a wrong sign, a missing term, a wrong scale. */
class GradCheckSelfTest {

    /** y = x^2 + 3x with a chosen (possibly wrong) backward. */
    private static Tensor squarePlus3x(Tensor x, double sign, double missing, double scale) {
        float[] a = x.data(), y = new float[a.length];
        for (int i = 0; i < a.length; i++) y[i] = a[i] * a[i] + 3 * a[i];
        Tensor out = Tensor.of(y, x.shape());
        out.attach(new Node(x) {
            @Override
            protected void backward(float[] dy) {
                float[] dx = gradOf(x);
                for (int i = 0; i < dy.length; i++)
                    dx[i] += (float) (scale * dy[i] * (sign * 2 * a[i] + (1 - missing) * 3));
            }
        });
        return out;
    }

    @Test
    void acceptsTheCorrectGradient() {
        Tensor x = uniform(1, -1, 1, 3, 4);
        double err = GradCheck.of("correct").check(() -> squarePlus3x(x, 1, 0, 1), x);
        assertTrue(err < 1e-3, "relative error " + err);
    }

    @Test
    void rejectsWrongSignMissingTermAndWrongScale() {
        Tensor x = uniform(2, -1, 1, 3, 4);
        assertThrows(AssertionFailedError.class, () -> GradCheck.of("sign").check(() -> squarePlus3x(x, -1, 0, 1), x));
        assertThrows(AssertionFailedError.class, () -> GradCheck.of("missing").check(() -> squarePlus3x(x, 1, 1, 1), x));
        assertThrows(AssertionFailedError.class, () -> GradCheck.of("scale").check(() -> squarePlus3x(x, 1, 0, 1.05), x));
    }

    @Test
    void rejectsAVanishingCheck() {
        Tensor x = uniform(3, -1, 1, 2, 2);
        // a constant function: numeric gradient 0, which would make any check pass vacuously
        assertThrows(AssertionFailedError.class, () -> GradCheck.of("zero").check(() -> x.mul(0f), x));
    }
}
