package org.cnn4j.data;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Reads the real Fashion-MNIST from wherever the default resolution finds it (never downloads). */
class FashionMnistIntegrationTest {

    @Test
    void readsRealFashionMnist() throws IOException {
        IdxDatasetLoader loader = IdxDatasetLoader.builder(FashionMnist.SPEC).download(false).build();
        Path dir;
        try {
            dir = loader.locate();
        } catch (IOException e) {
            assumeTrue(false, "no copy of Fashion-MNIST in " + loader.searchPath() + " (apt-get install dataset-fashion-mnist)");
            return;
        }
        long t0 = System.nanoTime();
        Dataset train = loader.train();
        Dataset test = loader.test();
        double seconds = (System.nanoTime() - t0) / 1e9;

        assertEquals(60_000, train.size(), dir.toString());
        assertEquals(10_000, test.size());
        assertArrayEquals(new int[] {1, 28, 28}, train.sampleShape());
        assertEquals(10, train.numClasses());
        float[] x = new float[784];
        int first = train.copySample(0, x, 0);
        assertEquals(9, first, "the first training image is an ankle boot");
        assertEquals("Ankle Boot", train.classNames().get(first));
        assertEquals(9, test.label(0), "the first test image is an ankle boot too");
        assertEquals(2, test.label(1), "then a pullover");

        float min = Float.MAX_VALUE, max = -Float.MAX_VALUE;
        double sum = 0;
        int[] counts = new int[10];
        for (int i = 0; i < train.size(); i++) {
            counts[train.copySample(i, x, 0)]++;
            for (float v : x) {
                min = Math.min(min, v);
                max = Math.max(max, v);
                sum += v;
            }
        }
        assertEquals(0f, min);
        assertEquals(1f, max);
        double mean = sum / (60_000.0 * 784);
        assertEquals(0.2860, mean, 5e-4, "the well-known Fashion-MNIST train mean (torchvision's normalisation constant)");
        for (int c = 0; c < 10; c++) assertEquals(6_000, counts[c], "class " + c);
        assertTrue(seconds < 10, "loading took " + seconds + " s");
        System.err.printf("Fashion-MNIST from %s loaded in %.2f s%n", dir, seconds);
    }
}
