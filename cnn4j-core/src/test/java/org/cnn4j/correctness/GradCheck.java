package org.cnn4j.correctness;

import org.cnn4j.autograd.Autograd;
import org.cnn4j.tensor.Tensor;

import java.util.SplittableRandom;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Finite-difference gradient checker for the autograd tape.
 *
 * <p>The function under test maps the (mutable) input tensors to an output tensor {@code y}. The checked
 * scalar is {@code L = sum_i r_i * y_i} with fixed random weights {@code r} (so every output element
 * gets a different, non-trivial upstream gradient: a plain sum would hide, e.g., batch norm's dx, which
 * is zero for a constant dy), accumulated in double. A scalar output (a loss) is used as is.
 *
 * <p>Analytic: {@code y.backward(r)}. Numeric: central differences, each input element perturbed in
 * place by +-eps (float), {@code (L(x + h) - L(x - h)) / (x+h - (x-h))} with the actually representable
 * step. Agreement: per tensor {@code ||a - n|| <= rtol * ||n|| + atol * sqrt(numel)} and per element
 * {@code |a_i - n_i| <= rtol * |n_i| + atol}; the default rtol 1e-2 with atol 1e-3 catches a wrong sign
 * or a missing term on the small inputs used here, while tolerating float32 round-off.
 * The numeric gradient must also be non-trivial (norm above {@code 10 * atol}) unless the caller
 * declares it may vanish, so a check cannot pass vacuously.
 */
final class GradCheck {
    private final String label;
    private double eps = 1e-3, rtol = 1e-2, atol = 1e-3;
    private long seed = 42;
    private Runnable beforeEachForward = () -> {};
    private boolean allowZero;
    /** Largest per-tensor relative error of all checks so far in this JVM, and where (for reports). */
    private static double worstSeen;
    private static String worstWhere = "none";

    private GradCheck(String label) {
        this.label = label;
    }

    static GradCheck of(String label) {
        return new GradCheck(label);
    }

    GradCheck eps(double e) {
        eps = e;
        return this;
    }

    GradCheck tolerance(double rtol, double atol) {
        this.rtol = rtol;
        this.atol = atol;
        return this;
    }

    /** Runs before every evaluation of the function (e.g. re-seeding the dropout generator). */
    GradCheck beforeEachForward(Runnable r) {
        beforeEachForward = r;
        return this;
    }

    /** Allows a (near-)zero gradient for some input (e.g. a bias right before batch norm). */
    GradCheck allowZeroGradient() {
        allowZero = true;
        return this;
    }

    /** Checks d/d(inputs) of the function; returns the largest per-tensor relative error seen. */
    double check(Supplier<Tensor> f, Tensor... inputs) {
        for (Tensor t : inputs) {
            assertTrue(t.requiresGrad(), label + ": every checked input must require a gradient");
            t.zeroGrad();
        }
        beforeEachForward.run();
        Tensor y = f.get();
        double[] r = weights(y.numel());
        if (y.numel() == 1) {
            y.backward();
        } else {
            float[] seedGrad = new float[r.length];
            for (int i = 0; i < r.length; i++) seedGrad[i] = (float) r[i];
            y.backward(seedGrad);
        }
        float[][] analytic = new float[inputs.length][];
        for (int k = 0; k < inputs.length; k++) {
            Tensor g = inputs[k].grad();
            assertTrue(g != null, label + ": input " + k + " received no gradient");
            analytic[k] = g.data().clone();
        }
        double worst = 0;
        try (var ignored = Autograd.noGrad()) {
            for (int k = 0; k < inputs.length; k++) {
                float[] x = inputs[k].data();
                double[] numeric = new double[x.length];
                boolean[] kink = new boolean[x.length];
                double l0 = evaluate(f, r);
                int kinks = 0;
                for (int i = 0; i < x.length; i++) {
                    float orig = x[i];
                    float plus = (float) (orig + eps), minus = (float) (orig - eps);
                    x[i] = plus;
                    double lp = evaluate(f, r);
                    x[i] = minus;
                    double lm = evaluate(f, r);
                    x[i] = orig;
                    numeric[i] = (lp - lm) / ((double) plus - (double) minus);
                    // A ReLU or max-pool switch inside [x - eps, x + eps] makes the two one-sided slopes
                    // disagree; the central difference is then no estimate of the derivative at x.
                    double forward = (lp - l0) / ((double) plus - orig), backward = (l0 - lm) / ((double) orig - minus);
                    if (Math.abs(forward - backward) > 4 * (rtol * Math.abs(numeric[i]) + atol)) {
                        kink[i] = true;
                        kinks++;
                    }
                }
                assertTrue(kinks <= Math.max(1, x.length / 20), label + " d/d(input " + k + "): " + kinks + " of " + x.length
                        + " elements sit on a kink; choose another input");
                worst = Math.max(worst, compare(label + " d/d(input " + k + ")", analytic[k], numeric, kink));
            }
        }
        return worst;
    }

    private double evaluate(Supplier<Tensor> f, double[] r) {
        beforeEachForward.run();
        float[] y = f.get().data();
        if (y.length == 1) return y[0];
        double s = 0;
        for (int i = 0; i < y.length; i++) s += r[i] * y[i];
        return s;
    }

    private double[] weights(int n) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] r = new double[n];
        for (int i = 0; i < n; i++) r[i] = (float) (rng.nextDouble() * 2 - 1); // representable in float exactly
        return r;
    }

    private double compare(String what, float[] a, double[] n, boolean[] kink) {
        double diff = 0, ref = 0;
        for (int i = 0; i < a.length; i++) {
            if (kink[i]) continue;
            double d = a[i] - n[i];
            diff += d * d;
            ref += n[i] * n[i];
            if (!(Math.abs(d) <= rtol * Math.abs(n[i]) + atol))
                fail(what + ": element " + i + " analytic " + a[i] + " vs numeric " + n[i] + " (rtol " + rtol + ", atol " + atol + ")");
        }
        diff = Math.sqrt(diff);
        ref = Math.sqrt(ref);
        if (!(diff <= rtol * ref + atol * Math.sqrt(a.length)))
            fail(what + ": ||analytic - numeric|| = " + diff + " vs ||numeric|| = " + ref);
        if (!allowZero && !(ref > 10 * atol))
            fail(what + ": numeric gradient is (near) zero (norm " + ref + "); the check would be vacuous");
        double rel = ref == 0 ? diff : diff / ref;
        if (ref > 10 * atol) record(rel, what);
        return rel;
    }

    private static synchronized void record(double rel, String what) {
        if (rel > worstSeen) {
            worstSeen = rel;
            worstWhere = what;
        }
    }

    /** A one-line summary of the worst relative error (non-trivial gradients only) seen so far. */
    static synchronized String summary() {
        return String.format("finite-difference checks: max relative error %.3e (%s)", worstSeen, worstWhere);
    }
}
