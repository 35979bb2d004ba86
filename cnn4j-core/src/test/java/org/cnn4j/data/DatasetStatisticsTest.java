package org.cnn4j.data;

import org.cnn4j.data.transforms.Image;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

class DatasetStatisticsTest {
    @Test
    void perChannelAgainstHandComputedValues() {
        // Two samples of 2 channels x 1 x 2.
        // channel 0 values: 1, 3 | 5, 7   -> mean 4, population var ((9+1+1+9)/4) = 5
        // channel 1 values: 0, 0 | 0, 10  -> mean 2.5, var (6.25*3 + 56.25)/4 = 18.75
        float[] x = {1, 3, 0, 0, 5, 7, 0, 10};
        ArrayDataset ds = ArrayDataset.of(x, new int[]{2, 1, 2}, new int[]{0, 1}, 2);
        DatasetStatistics s = DatasetStatistics.compute(ds);
        assertEquals(2, s.channels());
        assertArrayEquals(new double[]{4, 2.5}, s.mean(), 1e-12);
        assertArrayEquals(new double[]{Math.sqrt(5), Math.sqrt(18.75)}, s.std(), 1e-12);
        assertArrayEquals(new double[]{1, 0}, s.min());
        assertArrayEquals(new double[]{7, 10}, s.max());
        assertEquals(4, s.valuesPerChannel());

        Image img = new Image(2, 1, 2, new float[]{4, 6, 2.5f, 10});
        s.normalizer().apply(img, new SplittableRandom(0));
        assertArrayEquals(new float[]{0, (float) (2 / Math.sqrt(5)), 0, (float) (7.5 / Math.sqrt(18.75))}, img.data(), 1e-6f);

        Image m = new Image(2, 1, 2, new float[]{1, 7, 5, 10});
        s.minMaxScaler().apply(m, new SplittableRandom(0));
        assertArrayEquals(new float[]{0, 1, 0.5f, 1}, m.data(), 1e-6f);
    }

    @Test
    void normalisedDatasetHasZeroMeanUnitStd() {
        float[] x = new float[300 * 3 * 4];
        SplittableRandom r = new SplittableRandom(1);
        for (int i = 0; i < x.length; i++) x[i] = (float) (r.nextGaussian() * (1 + (i / 4) % 3) + 100 * ((i / 4) % 3));
        ArrayDataset ds = ArrayDataset.of(x, new int[]{3, 2, 2}, new int[300], 1);
        DatasetStatistics s = DatasetStatistics.compute(ds);
        DatasetStatistics z = DatasetStatistics.compute(Datasets.transformed(ds, s.normalizer(), 0));
        for (int c = 0; c < 3; c++) {
            assertEquals(0, z.mean()[c], 1e-5);
            assertEquals(1, z.std()[c], 1e-5);
        }
        DatasetStatistics mm = DatasetStatistics.compute(Datasets.transformed(ds, s.minMaxScaler(), 0));
        for (int c = 0; c < 3; c++) {
            assertEquals(0, mm.min()[c], 1e-6);
            assertEquals(1, mm.max()[c], 1e-6);
        }
        // Single channel for samples that are not C x H x W.
        DatasetStatistics flat = DatasetStatistics.compute(ArrayDataset.of(new float[]{2, 4, 6, 8}, new int[]{2}, new int[2], 1));
        assertArrayEquals(new double[]{5}, flat.mean());
        assertArrayEquals(new double[]{Math.sqrt(5)}, flat.std(), 1e-12);
    }
}
