package org.cnn4j.tensor;

import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * The library's default random generator (like {@code torch.manual_seed}): weight initialisation and
 * dropout masks draw from it unless given a generator of their own. Seeding it makes a run
 * reproducible: the same seed and thread count give bit-identical results. Not thread-safe by
 * design: models are built and trained on one thread; kernels use no randomness.
 *
 * <p>The global generator is SplitMix64 with the same constants as {@link SplittableRandom}, so
 * {@code manualSeed(s)} draws exactly the numbers {@code new SplittableRandom(s)} would (a test checks
 * it), but its state is one {@code long} that {@link #state()} exports and {@link #setState(long)}
 * restores (as PyTorch's {@code get_rng_state}/{@code set_rng_state}): a checkpoint saves it, so a
 * resumed run draws the same dropout masks as an uninterrupted one. {@link #manualSeed} and
 * {@link #setState} change the generator in place: a reference obtained from {@link #global()} earlier
 * follows them.
 */
public final class Rng {
    private static final Generator GLOBAL = new Generator(0x5EED);

    private Rng() {}

    public static synchronized void manualSeed(long seed) {
        GLOBAL.state = seed;
    }

    public static synchronized RandomGenerator global() {
        return GLOBAL;
    }

    /** The global generator's whole state (PyTorch's {@code torch.get_rng_state()}). */
    public static synchronized long state() {
        return GLOBAL.state;
    }

    /** Restores a state {@link #state()} returned: the following draws repeat those that followed it. */
    public static synchronized void setState(long state) {
        GLOBAL.state = state;
    }

    /**
     * {@code out[i] = rng.nextFloat()} for i in [0, n): the same draws as the calls one by one, but for the global
     * generator on a local copy of its state (as a loop of interface calls, dropout's 60,000 draws per FashionCNN
     * step took 290 us).
     */
    public static void nextFloats(RandomGenerator rng, float[] out, int n) {
        if (rng instanceof Generator g) {
            synchronized (Rng.class) {
                g.nextFloats(out, n);
            }
        } else {
            for (int i = 0; i < n; i++) out[i] = rng.nextFloat();
        }
    }

    /** An independent generator derived from a seed and a stream index (e.g. the epoch). */
    public static RandomGenerator derived(long seed, long stream) {
        return new SplittableRandom(seed * 0x9E3779B97F4A7C15L + stream);
    }

    /**
     * SplitMix64 (Steele, Lea and Flood 2014) as {@link SplittableRandom} implements it for one seed:
     * {@code nextLong} = mix64(state += GOLDEN_GAMMA), {@code nextInt} = mix32 of the same; the other
     * methods are {@link RandomGenerator}'s defaults, which SplittableRandom uses too.
     */
    static final class Generator implements RandomGenerator {
        private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;
        private long state;

        Generator(long seed) {
            this.state = seed;
        }

        @Override
        public long nextLong() {
            long z = (state += GOLDEN_GAMMA);
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            return z ^ (z >>> 31);
        }

        @Override
        public int nextInt() {
            long z = (state += GOLDEN_GAMMA);
            z = (z ^ (z >>> 33)) * 0x62A9D9ED799705F5L;
            return (int) (((z ^ (z >>> 28)) * 0xCB24D0A5C88C35B3L) >>> 32);
        }

        /** {@link #nextFloat()} n times: RandomGenerator's default, (nextInt() >>> 8) * 2^-24, inlined. */
        void nextFloats(float[] out, int n) {
            long st = state;
            for (int i = 0; i < n; i++) {
                long z = (st += GOLDEN_GAMMA);
                z = (z ^ (z >>> 33)) * 0x62A9D9ED799705F5L;
                out[i] = ((int) (((z ^ (z >>> 28)) * 0xCB24D0A5C88C35B3L) >>> 32) >>> 8) * 0x1.0p-24f;
            }
            state = st;
        }

        @Override
        public String toString() {
            return "Rng.global (SplitMix64)";
        }
    }
}
