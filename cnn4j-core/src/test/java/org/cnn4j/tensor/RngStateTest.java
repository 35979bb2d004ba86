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
    void bulkFloatsAreTheDrawsOneByOne() {
        for (int n : new int[] {0, 1, 7, 1000}) {
            Rng.manualSeed(n + 3);
            float[] bulk = new float[n + 2];
            Rng.nextFloats(Rng.global(), bulk, n);
            long after = Rng.state();
            Rng.manualSeed(n + 3);
            for (int i = 0; i < n; i++) assertEquals(Rng.global().nextFloat(), bulk[i]);
            assertEquals(Rng.state(), after, "the bulk draw leaves the generator where n single draws do");
            assertEquals(0f, bulk[n], "writes only n floats");
        }
        float[] other = new float[5];
        Rng.nextFloats(new SplittableRandom(9), other, 5);
        SplittableRandom ref = new SplittableRandom(9);
        for (float v : other) assertEquals(ref.nextFloat(), v);
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
