package org.cnn4j.data.transforms;

import java.util.SplittableRandom;

/**
 * The generator a transform gets for one sample: a pure function of (seed, epoch, sample index), so an
 * augmented sample does not depend on which thread prepares it or in which order.
 */
public final class SampleRandom {
    private SampleRandom() {}

    /** A generator for sample {@code index} of epoch {@code epoch} under {@code seed}. */
    public static SplittableRandom of(long seed, int epoch, int index) {
        long z = mix64(seed ^ mix64(0x9E3779B97F4A7C15L * (epoch + 1L)));
        return new SplittableRandom(mix64(z + 0xD1B54A32D192ED03L * (index + 1L)));
    }

    private static long mix64(long z) { // SplitMix64's finaliser
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
