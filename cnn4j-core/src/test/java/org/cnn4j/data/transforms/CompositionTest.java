package org.cnn4j.data.transforms;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Compose, RandomApply, RandomChoice / OneOf, RandomOrder; thread safety of a shared pipeline. */
class CompositionTest {
    /** Appends its digit: x -> 10 x + d on a 1x1 image, so the order of application is readable. */
    private static Transform digit(int d) {
        return (img, rng) -> new Image(1, 1, 1, new float[] {img.data()[0] * 10 + d});
    }

    private static float run(Transform t, long seed) {
        return t.apply(new Image(1, 1, 1, new float[] {0}), new SplittableRandom(seed)).data()[0];
    }

    @Test
    void composeAppliesInOrder() {
        assertEquals(123f, run(new Compose(digit(1), digit(2), digit(3)), 1));
        assertEquals(0f, run(new Compose(), 1));
        assertThrows(IllegalArgumentException.class, () -> new Compose(digit(1), null));
    }

    @Test
    void randomApplyAllOrNothing() {
        RandomApply ra = new RandomApply(0.3, digit(1), digit(2));
        int applied = 0;
        SplittableRandom rng = new SplittableRandom(3);
        for (int i = 0; i < 4000; i++) {
            float v = ra.apply(new Image(1, 1, 1, new float[] {0}), rng).data()[0];
            assertTrue(v == 0f || v == 12f, "all or nothing: " + v);
            if (v == 12f) applied++;
        }
        assertEquals(0.3, applied / 4000.0, 0.03);
        assertThrows(IllegalArgumentException.class, () -> new RandomApply(1.5, digit(1)));
    }

    @Test
    void randomChoiceFollowsTheWeights() {
        RandomChoice rc = new RandomChoice(new double[] {1, 0, 3}, digit(1), digit(2), digit(3));
        int[] counts = new int[4];
        SplittableRandom rng = new SplittableRandom(4);
        for (int i = 0; i < 8000; i++) counts[(int) rc.apply(new Image(1, 1, 1, new float[] {0}), rng).data()[0]]++;
        assertEquals(0, counts[2], "weight 0 is never chosen");
        assertEquals(0.25, counts[1] / 8000.0, 0.02);
        assertEquals(0.75, counts[3] / 8000.0, 0.02);
        RandomChoice oneOf = RandomChoice.oneOf(0.5, null, digit(1), digit(2));
        int none = 0;
        for (int i = 0; i < 4000; i++) if (oneOf.apply(new Image(1, 1, 1, new float[] {0}), rng).data()[0] == 0f) none++;
        assertEquals(0.5, none / 4000.0, 0.03);
        assertThrows(IllegalArgumentException.class, () -> new RandomChoice(new double[] {0, 0}, digit(1), digit(2)));
        assertThrows(IllegalArgumentException.class, () -> new RandomChoice(new double[] {1}, digit(1), digit(2)));
    }

    @Test
    void randomOrderVisitsEveryPermutation() {
        RandomOrder ro = new RandomOrder(digit(1), digit(2), digit(3));
        java.util.Map<Float, Integer> seen = new java.util.TreeMap<>();
        SplittableRandom rng = new SplittableRandom(5);
        for (int i = 0; i < 6000; i++) seen.merge(ro.apply(new Image(1, 1, 1, new float[] {0}), rng).data()[0], 1, Integer::sum);
        assertEquals(List.of(123f, 132f, 213f, 231f, 312f, 321f), new ArrayList<>(seen.keySet()));
        for (int c : seen.values()) assertEquals(1000, c, 120);
    }

    @Test
    void oneInstanceServesManyThreads() throws Exception {
        Transform t = AugmentSpec.parse("hflip,rotate=10,zoom=0.1,cutout=8,brightness=0.2,noise=0.05");
        Image img = TestImages.uniform(1, 28, 28, 6);
        List<Image> sequential = new ArrayList<>();
        for (int i = 0; i < 64; i++) sequential.add(t.apply(img.copy(), SampleRandom.of(42, 0, i)));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Image>> parallel = new ArrayList<>();
            for (int i = 63; i >= 0; i--) {
                int index = i;
                parallel.add(pool.submit(() -> t.apply(img.copy(), SampleRandom.of(42, 0, index))));
            }
            for (int i = 0; i < 64; i++) assertEquals(sequential.get(i), parallel.get(63 - i).get(), "sample " + i);
        } finally {
            pool.shutdown();
        }
        assertEquals(img, TestImages.uniform(1, 28, 28, 6), "the input is never modified");
        assertSame(SampleRandom.class, SampleRandom.class);
        assertTrue(SampleRandom.of(1, 0, 0).nextLong() != SampleRandom.of(1, 1, 0).nextLong());
        assertTrue(SampleRandom.of(1, 0, 0).nextLong() != SampleRandom.of(1, 0, 1).nextLong());
        assertEquals(SampleRandom.of(1, 2, 3).nextLong(), SampleRandom.of(1, 2, 3).nextLong());
    }
}
