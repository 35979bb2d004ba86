package org.cnn4j.tensor;

import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * The library's default random generator (like {@code torch.manual_seed}): weight initialisation and
 * dropout masks draw from it unless given a generator of their own. Seeding it makes a run
 * reproducible: the same seed and thread count give bit-identical results. Not thread-safe by
 * design: models are built and trained on one thread; kernels use no randomness.
 */
public final class Rng {
    private static RandomGenerator global = new SplittableRandom(0x5EED);

    private Rng() {}

    public static synchronized void manualSeed(long seed) {
        global = new SplittableRandom(seed);
    }

    public static synchronized RandomGenerator global() {
        return global;
    }

    /** An independent generator derived from a seed and a stream index (e.g. the epoch). */
    public static RandomGenerator derived(long seed, long stream) {
        return new SplittableRandom(seed * 0x9E3779B97F4A7C15L + stream);
    }
}
