package org.cnn4j.data;

import org.cnn4j.data.transforms.Image;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

class DatasetsTest {
    /** n samples of {1}: value i, label i % 3. */
    static ArrayDataset ds(int n) {
        float[] x = new float[n];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            x[i] = i;
            y[i] = i % 3;
        }
        return ArrayDataset.of(x, new int[]{1}, y, 3);
    }

    static float[] values(Dataset d) {
        float[] v = new float[d.size() * d.sampleSize()];
        for (int i = 0; i < d.size(); i++) d.copySample(i, v, i * d.sampleSize());
        return v;
    }

    @Test
    void subsetByIndices() {
        Dataset s = Datasets.subset(ds(10), 9, 2, 2, 5);
        assertArrayEquals(new float[]{9, 2, 2, 5}, values(s));
        assertEquals(2, s.label(1));
        Dataset ss = Datasets.subset(s, 3, 0);
        assertArrayEquals(new float[]{5, 9}, values(ss));
        assertThrows(IndexOutOfBoundsException.class, () -> Datasets.subset(ds(10), 10));
        assertThrows(IndexOutOfBoundsException.class, () -> s.copySample(4, new float[1], 0));
    }

    @Test
    void ofClassesPicksRelabelsAndCaps() {
        Dataset d = Datasets.ofClasses(ds(12), 3, 2, 0);   // labels 2 -> 0, 0 -> 1; at most 3 of each
        assertArrayEquals(new float[]{0, 2, 3, 5, 6, 8}, values(d));
        assertEquals(2, d.numClasses());
        assertEquals(java.util.List.of(ds(1).classNames().get(2), ds(1).classNames().get(0)), d.classNames());
        int[] labels = new int[d.size()];
        for (int i = 0; i < d.size(); i++) labels[i] = d.copySample(i, new float[1], 0);
        assertArrayEquals(new int[]{1, 0, 1, 0, 1, 0}, labels);
        assertEquals(0, d.label(1));
        assertThrows(IllegalArgumentException.class, () -> Datasets.ofClasses(ds(3), 1, 3));
        assertThrows(IllegalArgumentException.class, () -> Datasets.ofClasses(ds(3), 1, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> Datasets.ofClasses(ds(3), 0, 1));
    }

    @Test
    void concatenation() {
        Dataset c = Datasets.concat(ds(3), Datasets.subset(ds(10), new int[0]), ds(2));
        assertEquals(5, c.size());
        assertArrayEquals(new float[]{0, 1, 2, 0, 1}, values(c));
        assertEquals(1, c.label(4));
        assertThrows(IndexOutOfBoundsException.class, () -> c.label(5));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Datasets.concat(ds(2), ArrayDataset.of(new float[4], new int[]{2}, new int[2], 3)));
        assertTrue(e.getMessage().contains("[1]") && e.getMessage().contains("[2]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Datasets.concat(ds(2), ArrayDataset.of(new float[2], new int[]{1}, new int[2], 4)));
    }

    @Test
    void randomSplitByFractionsAndCounts() {
        List<Dataset> parts = Datasets.randomSplit(ds(10), 7, 0.5, 0.3, 0.2);
        assertEquals(List.of(5, 3, 2), parts.stream().map(Dataset::size).toList());
        Set<Float> all = new HashSet<>();
        for (Dataset p : parts) for (float v : values(p)) assertTrue(all.add(v), "disjoint");
        assertEquals(10, all.size());
        // Remainders go one each to the first parts, as torch.utils.data.random_split does.
        assertEquals(List.of(4, 3, 3), Datasets.randomSplit(ds(10), 1, 1 / 3.0, 1 / 3.0, 1 / 3.0).stream().map(Dataset::size).toList());
        assertArrayEquals(values(parts.get(0)), values(Datasets.randomSplit(ds(10), 7, 0.5, 0.3, 0.2).get(0)), "same seed");
        assertFalse(Arrays.equals(values(parts.get(0)), values(Datasets.randomSplit(ds(10), 8, 0.5, 0.3, 0.2).get(0))));
        assertEquals(List.of(1, 9), Datasets.randomSplit(ds(10), 7, 1, 9).stream().map(Dataset::size).toList());
        assertThrows(IllegalArgumentException.class, () -> Datasets.randomSplit(ds(10), 7, 0.5, 0.6));
        assertThrows(IllegalArgumentException.class, () -> Datasets.randomSplit(ds(10), 7, 3, 3));
    }

    @Test
    void stratifiedSplitHoldsOutEveryClass() {
        List<Dataset> parts = Datasets.stratifiedSplit(ds(30), 0.2, 3);
        Dataset rest = parts.get(0), held = parts.get(1);
        assertEquals(24, rest.size());
        assertEquals(6, held.size());
        int[] perClass = new int[3];
        for (int i = 0; i < held.size(); i++) perClass[held.label(i)]++;
        assertArrayEquals(new int[]{2, 2, 2}, perClass);
        Set<Float> all = new HashSet<>();
        for (float v : values(rest)) all.add(v);
        for (float v : values(held)) assertTrue(all.add(v));
        assertEquals(30, all.size());
        assertThrows(IllegalArgumentException.class, () -> Datasets.stratifiedSplit(ds(3), 1.0, 0));
    }

    @Test
    void transformedDataset() {
        ArrayDataset base = ArrayDataset.of(new float[]{1, 2, 3, 4, 5, 6, 7, 8}, new int[]{1, 2, 2}, new int[]{0, 1}, 2);
        var t = Datasets.transformed(base, (img, rng) -> {
            Image out = Image.zeros(1, 1, 1);
            out.set(0, 0, 0, img.get(0, 1, 1) * 10 + rng.nextInt(2));
            return out;
        }, 5);
        assertArrayEquals(new int[]{1, 1, 1}, t.sampleShape());
        float[] v = values(t);
        assertTrue(v[0] == 40 || v[0] == 41, Arrays.toString(v));
        assertTrue(v[1] == 80 || v[1] == 81, Arrays.toString(v));
        assertArrayEquals(v, values(t), "same epoch, same result");
        assertEquals(1, t.label(1));
        boolean changed = false;
        for (int e = 1; e < 20 && !changed; e++) {
            t.setEpoch(e);
            changed = !Arrays.equals(v, values(t));
        }
        assertTrue(changed, "the epoch enters the generator");
    }
}
