package org.cnn4j.data;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

class SamplerTest {
    /** 100 samples: 90 of class 0, 9 of class 1, 1 of class 2, none of class 3. */
    static ArrayDataset imbalanced() {
        int[] y = new int[100];
        for (int i = 90; i < 99; i++) y[i] = 1;
        y[99] = 2;
        float[] x = new float[100];
        for (int i = 0; i < 100; i++) x[i] = i;
        return ArrayDataset.of(x, new int[]{1}, y, 4);
    }

    @Test
    void classBalancedDrawsEachPresentClassEqually() {
        ArrayDataset ds = imbalanced();
        Sampler s = Sampler.classBalanced(ds, 30_000);
        int[] idx = s.indices(100, new SplittableRandom(1));
        assertEquals(30_000, idx.length);
        assertEquals(30_000, s.length(100));
        int[] perClass = new int[4];
        int[] perSample = new int[100];
        for (int i : idx) {
            perClass[ds.label(i)]++;
            perSample[i]++;
        }
        assertEquals(0, perClass[3], "an empty class is never drawn");
        for (int c = 0; c < 3; c++)
            assertEquals(1 / 3.0, perClass[c] / 30_000.0, 0.015, "class " + c + ": " + Arrays.toString(perClass));
        // Within class 1 every sample is equally likely: about 10,000 / 9 each.
        for (int i = 90; i < 99; i++) assertEquals(10_000 / 9.0, perSample[i], 250, "sample " + i);
        assertArrayEquals(idx, s.indices(100, new SplittableRandom(1)), "same generator, same draws");

        // Through the loader: balanced batches, reproducible per epoch.
        DataLoader l = DataLoader.builder(ds).batchSize(50).sampler(Sampler.classBalanced(ds)).seed(9).build();
        assertEquals(2, l.numBatches());
        assertArrayEquals(l.order(3), l.order(3));
        assertFalse(Arrays.equals(l.order(0), l.order(1)));
    }

    @Test
    void weightedWithAndWithoutReplacement() {
        double[] w = {0, 1, 3, 0, 6};
        int[] idx = Sampler.weighted(w, 20_000, true).indices(5, new SplittableRandom(2));
        int[] count = new int[5];
        for (int i : idx) count[i]++;
        assertEquals(0, count[0]);
        assertEquals(0, count[3]);
        assertEquals(0.1, count[1] / 20_000.0, 0.01);
        assertEquals(0.3, count[2] / 20_000.0, 0.015);
        assertEquals(0.6, count[4] / 20_000.0, 0.015);

        int[] three = Sampler.weighted(w, 3, false).indices(5, new SplittableRandom(3));
        int[] sorted = three.clone();
        Arrays.sort(sorted);
        assertArrayEquals(new int[]{1, 2, 4}, sorted, "without replacement: the three non-zero samples once each");
        // Without replacement the heaviest sample comes first most often.
        int first4 = 0;
        for (int s = 0; s < 2000; s++) if (Sampler.weighted(w, 1, false).indices(5, new SplittableRandom(s))[0] == 4) first4++;
        assertEquals(0.6, first4 / 2000.0, 0.04);

        assertThrows(IllegalArgumentException.class, () -> Sampler.weighted(w, 4, false));
        assertThrows(IllegalArgumentException.class, () -> Sampler.weighted(new double[]{0, 0}, 1, true));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Sampler.weighted(new double[]{1, -2}, 1, true));
        assertTrue(e.getMessage().contains("weights[1]") && e.getMessage().contains("-2"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Sampler.weighted(w, 0, true));
    }

    @Test
    void subsetSequentialAndRandom() {
        assertArrayEquals(new int[]{0, 1, 2, 3}, Sampler.sequential().indices(4, new SplittableRandom(0)));
        int[] perm = Sampler.random().indices(50, new SplittableRandom(4));
        int[] sorted = perm.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < 50; i++) assertEquals(i, sorted[i]);
        assertArrayEquals(new int[]{7, 3, 3}, Sampler.subset(7, 3, 3).indices(10, new SplittableRandom(0)));
        int[] sr = Sampler.subsetRandom(1, 5, 9, 2).indices(10, new SplittableRandom(5));
        Arrays.sort(sr);
        assertArrayEquals(new int[]{1, 2, 5, 9}, sr);
        assertEquals(7, Sampler.randomWithReplacement(7).indices(3, new SplittableRandom(0)).length);
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class,
                () -> DataLoader.builder(imbalanced()).sampler(Sampler.subset(5, 100)).build().order(0));
        assertTrue(e.getMessage().contains("100"), e.getMessage());

        // A subset sampler drives which samples a loader visits.
        DataLoader l = DataLoader.builder(imbalanced()).batchSize(2).sampler(Sampler.subset(4, 8, 15)).build();
        assertEquals(2, l.numBatches());
        float[] got = new float[3];
        int k = 0;
        for (Batch b : l) for (float v : b.inputs().data()) got[k++] = v;
        assertArrayEquals(new float[]{4, 8, 15}, got);
    }

    @Test
    void shuffleKeepsItsHistoricalPermutation() {
        // shuffle(true) is Sampler.random() seeded with epochSeed(seed, epoch): the permutation of earlier versions.
        DataLoader l = DataLoader.builder(imbalanced()).shuffle(true).seed(42).build();
        int[] expected = new int[100];
        for (int i = 0; i < 100; i++) expected[i] = i;
        SplittableRandom rng = new SplittableRandom(DataLoader.epochSeed(42, 1));
        for (int i = 99; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = expected[i];
            expected[i] = expected[j];
            expected[j] = t;
        }
        assertArrayEquals(expected, l.order(1));
    }
}
