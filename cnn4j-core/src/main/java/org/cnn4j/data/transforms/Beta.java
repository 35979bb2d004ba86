package org.cnn4j.data.transforms;

import java.util.SplittableRandom;

/** Beta(alpha, alpha) samples from two Gamma(alpha) draws (Marsaglia and Tsang), for MixUp and CutMix. */
final class Beta {
    private Beta() {}

    /** X / (X + Y) with X, Y ~ Gamma(alpha, 1): torch._sample_dirichlet([alpha, alpha])[0]. */
    static double symmetric(double alpha, SplittableRandom rng) {
        double x = gamma(alpha, rng), y = gamma(alpha, rng);
        double s = x + y;
        return s > 0 ? x / s : (rng.nextBoolean() ? 1.0 : 0.0); // both underflowed: alpha tiny, lambda is 0 or 1
    }

    static double gamma(double alpha, SplittableRandom rng) {
        if (alpha < 1) {
            double u = rng.nextDouble();
            return gamma(alpha + 1, rng) * Math.pow(u, 1 / alpha);
        }
        double d = alpha - 1.0 / 3, c = 1 / Math.sqrt(9 * d);
        while (true) {
            double x, v;
            do {
                x = rng.nextGaussian();
                v = 1 + c * x;
            } while (v <= 0);
            v = v * v * v;
            double u = rng.nextDouble();
            if (u < 1 - 0.0331 * x * x * x * x) return d * v;
            if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
        }
    }
}
