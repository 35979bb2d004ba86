package org.cnn4j.tensor;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RngStateTest {
    @Test
    void drawsExactlyWhatSplittableRandomDraws() {
        for (long seed : new long[] {0, 42, -7, 0x5EED}) {
            Rng.manualSeed(seed);
            RandomGenerator g = Rng.global();
            SplittableRandom ref = new SplittableRandom(seed);
            for (int i = 0; i < 2000; i++) {
                assertEquals(ref.nextLong(), g.nextLong());
                assertEquals(ref.nextInt(), g.nextInt());
                assertEquals(ref.nextInt(1000), g.nextInt(1000));
                assertEquals(ref.nextInt(3, 17), g.nextInt(3, 17));
                assertEquals(ref.nextLong(1L << 40), g.nextLong(1L << 40));
                assertEquals(ref.nextDouble(), g.nextDouble());
                assertEquals(ref.nextFloat(), g.nextFloat());
                assertEquals(ref.nextGaussian(), g.nextGaussian());
                assertEquals(ref.nextBoolean(), g.nextBoolean());
                assertEquals(ref.nextDouble(-2, 5), g.nextDouble(-2, 5));
            }
        }
    }

    @Test
    void stateRestoresTheSequence() {
        Rng.manualSeed(5);
        RandomGenerator g = Rng.global();
        for (int i = 0; i < 17; i++) g.nextGaussian();
        long s = Rng.state();
        double[] a = new double[50];
        for (int i = 0; i < a.length; i++) a[i] = g.nextDouble();
        Rng.manualSeed(123);
        Rng.setState(s);
        for (double v : a) assertEquals(v, Rng.global().nextDouble());
    }
}
