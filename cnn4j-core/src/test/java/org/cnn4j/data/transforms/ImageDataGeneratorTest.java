package org.cnn4j.data.transforms;

import org.cnn4j.data.ArrayDataset;
import org.cnn4j.data.Batch;
import org.cnn4j.data.DataLoader;
import org.cnn4j.data.Dataset;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Keras facade and the augmenting dataset wrapper. */
class ImageDataGeneratorTest {
    /** N ramps 1x6x6 in 0..255, sample i offset by i, label i % 3. */
    private static float[] data(int n) {
        float[] x = new float[n * 36];
        for (int i = 0; i < n; i++)
            for (int k = 0; k < 36; k++) x[i * 36 + k] = k + i;
        return x;
    }

    private static List<Batch> epoch(Iterable<Batch> it) {
        List<Batch> out = new ArrayList<>();
        for (Batch b : it) out.add(b);
        return out;
    }

    @Test
    void flowRescalesFlipsAndKeepsLabels() {
        int n = 10;
        float[] x = data(n);
        int[] y = new int[n];
        for (int i = 0; i < n; i++) y[i] = i % 3;
        ImageDataGenerator gen = ImageDataGenerator.builder().horizontalFlip(true).rescale(1 / 255f).build();
        ImageDataGenerator.Flow flow = gen.flow(x, new int[] {1, 6, 6}, y, 4, false, 7);
        assertEquals(3, flow.numBatches());
        List<Batch> batches = epoch(flow);
        assertEquals(List.of(4, 4, 2), batches.stream().map(Batch::size).toList());
        int flipped = 0;
        for (int b = 0; b < 3; b++)
            for (int s = 0; s < batches.get(b).size(); s++) {
                int i = b * 4 + s;
                assertEquals(y[i], batches.get(b).labels()[s]);
                float[] got = Arrays.copyOfRange(batches.get(b).inputs().data(), s * 36, (s + 1) * 36);
                Image orig = new Image(1, 6, 6, Arrays.copyOfRange(x, i * 36, (i + 1) * 36));
                float[] plain = new Rescale(1 / 255f).apply(orig, null).data();
                float[] mirror = new Rescale(1 / 255f).apply(Functional.hflip(orig), null).data();
                boolean isPlain = Arrays.equals(got, plain), isMirror = Arrays.equals(got, mirror);
                assertTrue(isPlain || isMirror, "sample " + i + " is the rescaled original or its mirror");
                if (isMirror) flipped++;
            }
        assertTrue(flipped > 0 && flipped < n, "some flipped, some not: " + flipped);
        assertArrayEquals(new int[] {4, 1, 6, 6}, batches.getFirst().inputs().shape());
        // Keras' flow(x, y, ...) signature infers square one-channel samples
        List<Batch> inferred = epoch(gen.flow(x, y, 4, false, 7));
        for (int b = 0; b < 3; b++) assertArrayEquals(batches.get(b).inputs().data(), inferred.get(b).inputs().data());
        assertThrows(IllegalArgumentException.class, () -> gen.flow(new float[10 * 12], y, 4, false, 7));
    }

    @Test
    void flowIsReproducibleAndEpochsDiffer() {
        float[] x = data(12);
        int[] y = new int[12];
        ImageDataGenerator gen = ImageDataGenerator.builder().rotationRange(20).zoomRange(0.2).widthShiftRange(0.1)
                .heightShiftRange(0.1).shearRange(10).brightnessRange(0.5, 1.5).fillMode("reflect").build();
        List<Batch> a = epoch(gen.flow(x, new int[] {1, 6, 6}, y, 5, true, 3));
        ImageDataGenerator.Flow again = gen.flow(x, new int[] {1, 6, 6}, y, 5, true, 3);
        List<Batch> b = epoch(again), b2 = epoch(again);
        for (int i = 0; i < a.size(); i++) assertArrayEquals(a.get(i).inputs().data(), b.get(i).inputs().data());
        assertFalse(Arrays.equals(b.getFirst().inputs().data(), b2.getFirst().inputs().data()), "the next epoch differs");
        // shuffled as a DataLoader with the same seed shuffles
        int[] order = DataLoader.builder(ArrayDataset.of(x, new int[] {1, 6, 6}, y, 1)).batchSize(5).shuffle(true).seed(3).build().order(0);
        float[] firstSample = Arrays.copyOfRange(a.getFirst().inputs().data(), 0, 36);
        Image expected = gen.transform().apply(new Image(1, 6, 6, Arrays.copyOfRange(x, order[0] * 36, order[0] * 36 + 36)),
                SampleRandom.of(3, 0, 0)); // the generator of position 0, as the DataLoader seeds it
        assertArrayEquals(expected.data(), firstSample);
        // brightness without rescale clips to [0, 1]
        ImageDataGenerator bright = ImageDataGenerator.builder().brightnessRange(2, 2).build();
        Image half = TestImages.constant(1, 2, 2, 0.75f);
        assertEquals(1f, bright.randomTransform(half, new SplittableRandom(1)).data()[0]);
        ImageDataGenerator raw = ImageDataGenerator.builder().brightnessRange(2, 2).rescale(1 / 255f).build();
        assertEquals(200f / 255f, raw.randomTransform(TestImages.constant(1, 1, 1, 100f), new SplittableRandom(1)).data()[0], 1e-6);
        assertEquals(1f, raw.randomTransform(TestImages.constant(1, 1, 1, 200f), new SplittableRandom(1)).data()[0], 1e-6);
    }

    @Test
    void invalidArgumentsAreNamed() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ImageDataGenerator.builder().zoomRange(1.2)).getMessage()
                .contains("zoom_range"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ImageDataGenerator.builder().rotationRange(-3)).getMessage()
                .contains("rotation_range"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ImageDataGenerator.builder().fillMode("mirror")).getMessage()
                .contains("fill_mode"));
        ImageDataGenerator gen = ImageDataGenerator.builder().build();
        assertThrows(IllegalArgumentException.class, () -> gen.flow(new float[8], new int[] {8}, new int[] {0}, 1, false, 0));
    }
}
