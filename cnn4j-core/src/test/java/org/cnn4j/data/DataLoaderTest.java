package org.cnn4j.data;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class DataLoaderTest {
    /** n samples of shape {2}; sample i is {i, -i}, label i % 4. */
    static ArrayDataset ds(int n) {
        float[] x = new float[2 * n];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            x[2 * i] = i;
            x[2 * i + 1] = -i;
            y[i] = i % 4;
        }
        return ArrayDataset.of(x, new int[] {2}, y, 4);
    }

    /** The sample indices of one epoch, batch by batch, checking each batch's tensor against its labels. */
    static List<int[]> epoch(DataLoader loader) {
        List<int[]> out = new ArrayList<>();
        for (Batch b : loader) {
            int n = b.size();
            assertArrayEquals(new int[] {n, 2}, b.inputs().shape());
            int[] idx = new int[n];
            for (int i = 0; i < n; i++) {
                idx[i] = (int) b.inputs().data()[2 * i];
                assertEquals(-idx[i], b.inputs().data()[2 * i + 1]);
                assertEquals(idx[i] % 4, b.labels()[i], "label travels with its sample");
            }
            out.add(idx);
        }
        return out;
    }

    static int[] flat(List<int[]> batches) {
        return batches.stream().flatMapToInt(Arrays::stream).toArray();
    }

    @Test
    void inOrderWithPartialLastBatch() {
        DataLoader l = DataLoader.builder(ds(10)).batchSize(4).build();
        assertEquals(3, l.numBatches());
        assertEquals(4, l.batchSize());
        List<int[]> e = epoch(l);
        assertEquals(3, e.size());
        assertArrayEquals(new int[] {0, 1, 2, 3}, e.get(0));
        assertArrayEquals(new int[] {8, 9}, e.get(2));
        assertArrayEquals(flat(e), flat(epoch(l)), "no shuffle: every epoch the same order");
    }

    @Test
    void dropLastAndDefaults() {
        DataLoader l = DataLoader.builder(ds(10)).batchSize(4).dropLast(true).build();
        assertEquals(2, l.numBatches());
        List<int[]> e = epoch(l);
        assertEquals(2, e.size());
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7}, flat(e));
        DataLoader d = DataLoader.builder(ds(3)).build();
        assertEquals(1, d.batchSize());
        assertEquals(3, d.numBatches());
        assertEquals(0, DataLoader.builder(ds(3)).batchSize(4).dropLast(true).build().numBatches());
        assertThrows(IllegalArgumentException.class, () -> DataLoader.builder(ds(3)).batchSize(0));
    }

    @Test
    void shuffleIsAPermutationReproducibleBySeedAndEpoch() {
        DataLoader a = DataLoader.builder(ds(103)).batchSize(10).shuffle(true).seed(42).build();
        DataLoader b = DataLoader.builder(ds(103)).batchSize(10).shuffle(true).seed(42).build();
        int[] a0 = flat(epoch(a)), a1 = flat(epoch(a)), a2 = flat(epoch(a));
        int[] b0 = flat(epoch(b)), b1 = flat(epoch(b));
        int[] identity = new int[103];
        Arrays.setAll(identity, i -> i);
        for (int[] p : List.of(a0, a1, a2)) {
            int[] sorted = p.clone();
            Arrays.sort(sorted);
            assertArrayEquals(identity, sorted, "each epoch visits every sample exactly once");
            assertFalse(Arrays.equals(identity, p), "shuffled");
        }
        assertArrayEquals(a0, b0, "same seed, same epoch 0");
        assertArrayEquals(a1, b1, "same seed, same epoch 1");
        assertFalse(Arrays.equals(a0, a1), "epochs differ");
        assertFalse(Arrays.equals(a1, a2));

        DataLoader c = DataLoader.builder(ds(103)).batchSize(10).shuffle(true).seed(43).build();
        assertFalse(Arrays.equals(a0, flat(epoch(c))), "another seed, another order");

        // setEpoch picks the permutation regardless of history (resume), and iterator() then advances it.
        DataLoader r = DataLoader.builder(ds(103)).batchSize(10).shuffle(true).seed(42).build();
        r.setEpoch(2);
        assertEquals(2, r.epoch());
        assertArrayEquals(a2, flat(epoch(r)));
        assertEquals(3, r.epoch());
        r.setEpoch(1);
        assertArrayEquals(a1, flat(epoch(r)));
        assertArrayEquals(a1, r.order(1));
    }

    @Test
    void shuffledEpochWithDropLastDropsTheTailOfThePermutation() {
        DataLoader l = DataLoader.builder(ds(10)).batchSize(3).shuffle(true).seed(7).dropLast(true).build();
        int[] order = l.order(0);
        int[] got = flat(epoch(l));
        assertArrayEquals(Arrays.copyOf(order, 9), got);
    }

    @Test
    void worksOnSubsets() {
        DataLoader l = DataLoader.builder(ds(50).subset(0, 7)).batchSize(5).build();
        assertEquals(2, l.numBatches());
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6}, flat(epoch(l)));
    }
}
