package org.cnn4j.data;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class ArrayDatasetTest {
    static ArrayDataset sample(int n) {
        float[] x = new float[n * 6];
        for (int i = 0; i < x.length; i++) x[i] = i;
        int[] y = new int[n];
        for (int i = 0; i < n; i++) y[i] = i % 3;
        return new ArrayDataset(x, new int[] {1, 2, 3}, y, List.of("a", "b", "c"));
    }

    @Test
    void copiesSamplesAndLabels() {
        ArrayDataset ds = sample(4);
        assertEquals(4, ds.size());
        assertArrayEquals(new int[] {1, 2, 3}, ds.sampleShape());
        assertEquals(6, ds.sampleSize());
        assertEquals(3, ds.numClasses());
        assertEquals(List.of("a", "b", "c"), ds.classNames());
        float[] dst = new float[10];
        assertEquals(2, ds.copySample(2, dst, 3));
        assertArrayEquals(new float[] {0, 0, 0, 12, 13, 14, 15, 16, 17, 0}, dst);
        assertEquals(0, ds.label(3));
        assertThrows(IndexOutOfBoundsException.class, () -> ds.copySample(4, dst, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> ds.copySample(-1, dst, 0));
        ds.sampleShape()[0] = 99;
        assertArrayEquals(new int[] {1, 2, 3}, ds.sampleShape(), "shape is defensively copied");
    }

    @Test
    void validatesConstruction() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ArrayDataset(new float[5], new int[] {2}, new int[] {0, 1, 0}, List.of("a", "b")));
        assertTrue(e.getMessage().contains("need 6 floats, got 5"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new ArrayDataset(new float[4], new int[] {2}, new int[] {0, 2}, List.of("a", "b")));
        assertTrue(e.getMessage().contains("label 2 of sample 1"), e.getMessage());
        ArrayDataset ds = ArrayDataset.of(new float[2], new int[] {1}, new int[] {0, 4}, 5);
        assertEquals(List.of("0", "1", "2", "3", "4"), ds.classNames());
    }

    @Test
    void subsetIsAViewAndNests() {
        ArrayDataset ds = sample(10);
        Dataset sub = ds.subset(2, 7);
        assertEquals(5, sub.size());
        float[] a = new float[6], b = new float[6];
        assertEquals(ds.copySample(3, a, 0), sub.copySample(1, b, 0));
        assertArrayEquals(a, b);
        Dataset subsub = sub.subset(1, 3); // samples 3 and 4 of ds
        assertEquals(2, subsub.size());
        assertEquals(ds.label(4), subsub.label(1));
        subsub.copySample(0, b, 0);
        assertArrayEquals(a, b);
        assertThrows(IndexOutOfBoundsException.class, () -> sub.copySample(5, b, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> ds.subset(3, 11));
        assertThrows(IndexOutOfBoundsException.class, () -> ds.subset(4, 3));
        assertEquals(0, ds.subset(10, 10).size());
        assertEquals(ds.classNames(), sub.classNames());
        assertArrayEquals(ds.sampleShape(), sub.sampleShape());
    }
}
