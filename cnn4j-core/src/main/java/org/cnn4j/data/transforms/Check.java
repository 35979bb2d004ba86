package org.cnn4j.data.transforms;

/** Hyper-parameter checks with Keras-style messages ("... Received: value"). */
final class Check {
    private Check() {}

    static double probability(String name, double p) {
        if (!(p >= 0 && p <= 1)) throw new IllegalArgumentException(name + " must be a probability in [0, 1]. Received: " + p);
        return p;
    }

    static double nonNegative(String name, double v) {
        if (!(v >= 0) || Double.isInfinite(v)) throw new IllegalArgumentException(name + " must be a finite number >= 0. Received: " + v);
        return v;
    }

    static double positive(String name, double v) {
        if (!(v > 0) || Double.isInfinite(v)) throw new IllegalArgumentException(name + " must be a finite number > 0. Received: " + v);
        return v;
    }

    static int positive(String name, int v) {
        if (v < 1) throw new IllegalArgumentException(name + " must be >= 1. Received: " + v);
        return v;
    }

    static int oddPositive(String name, int v) {
        if (v < 1 || v % 2 == 0) throw new IllegalArgumentException(name + " must be an odd integer >= 1. Received: " + v);
        return v;
    }

    /** A range {@code [lo, hi]} with lo <= hi, both finite. */
    static void range(String name, double lo, double hi) {
        if (!Double.isFinite(lo) || !Double.isFinite(hi) || lo > hi)
            throw new IllegalArgumentException(name + " must be a range [min, max] with min <= max. Received: [" + lo + ", " + hi + "]");
    }

    static <T> T notNull(String name, T v) {
        if (v == null) throw new IllegalArgumentException(name + " must not be null");
        return v;
    }

    /** Uniform in [lo, hi] (exactly lo when the range is empty, without consuming randomness). */
    static double uniform(java.util.SplittableRandom rng, double lo, double hi) {
        return lo == hi ? lo : lo + (hi - lo) * rng.nextDouble();
    }
}
