package org.cnn4j.data;

import org.cnn4j.data.transforms.BatchTransform;
import org.cnn4j.data.transforms.Image;
import org.cnn4j.data.transforms.Transform;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

class DataLoaderWorkersTest {
    /** n samples of 2x3x4; sample i holds i*100 + j at element j, label i % 5. */
    static ArrayDataset images(int n) {
        float[] x = new float[n * 24];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < 24; j++) x[i * 24 + j] = i * 100 + j;
            y[i] = i % 5;
        }
        return ArrayDataset.of(x, new int[]{2, 3, 4}, y, 5);
    }

    /** Adds noise from the rng and flips horizontally half the time: output depends on the rng. */
    static final Transform NOISY_FLIP = (img, rng) -> {
        boolean flip = rng.nextBoolean();
        Image out = Image.zeros(img.channels(), img.height(), img.width());
        for (int c = 0; c < img.channels(); c++)
            for (int y = 0; y < img.height(); y++)
                for (int x = 0; x < img.width(); x++)
                    out.set(c, y, x, img.get(c, y, flip ? img.width() - 1 - x : x) + (float) rng.nextDouble());
        return out;
    };

    /** Crops to 2x2 at a random offset: changes the size. */
    static final Transform RANDOM_CROP = (img, rng) -> {
        int oy = rng.nextInt(img.height() - 1), ox = rng.nextInt(img.width() - 1);
        Image out = Image.zeros(img.channels(), 2, 2);
        for (int c = 0; c < img.channels(); c++)
            for (int y = 0; y < 2; y++)
                for (int x = 0; x < 2; x++) out.set(c, y, x, img.get(c, oy + y, ox + x));
        return out;
    };

    /** Scales the whole batch by a random factor and adds soft targets. */
    static final BatchTransform SCALE = (batch, rng) -> {
        float f = 1 + (float) rng.nextDouble();
        float[] d = batch.inputs().data().clone();
        for (int i = 0; i < d.length; i++) d[i] *= f;
        float[] soft = new float[batch.size() * 5];
        for (int i = 0; i < batch.size(); i++) soft[i * 5 + batch.labels()[i]] = 1;
        return new Batch(new Tensor(d, batch.inputs().shape()), batch.labels(), new Tensor(soft, batch.size(), 5));
    };

    record Snapshot(int[] shape, float[] data, int[] labels, float[] soft) {}

    static List<Snapshot> epoch(Iterable<Batch> loader) {
        List<Snapshot> out = new ArrayList<>();
        for (Batch b : loader)
            out.add(new Snapshot(b.inputs().shape(), b.inputs().data().clone(), b.labels().clone(),
                    b.softTargets() == null ? null : b.softTargets().data().clone()));
        return out;
    }

    static void assertSameBatches(List<Snapshot> a, List<Snapshot> b, String what) {
        assertEquals(a.size(), b.size(), what);
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(a.get(i).shape(), b.get(i).shape(), what + " batch " + i);
            assertArrayEquals(a.get(i).data(), b.get(i).data(), what + " batch " + i);
            assertArrayEquals(a.get(i).labels(), b.get(i).labels(), what + " batch " + i);
            assertArrayEquals(a.get(i).soft(), b.get(i).soft(), what + " batch " + i);
        }
    }

    static long loaderThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith(DataLoader.THREAD_PREFIX) && !t.getName().endsWith("cleaner"))
                .count();
    }

    static void awaitNoLoaderThreads() throws InterruptedException {
        for (int i = 0; i < 200 && loaderThreads() > 0; i++) Thread.sleep(10);
        assertEquals(0, loaderThreads(), "loader threads still alive");
    }

    @AfterEach
    void noLeak() throws InterruptedException {
        awaitNoLoaderThreads();
    }

    DataLoader loader(int workers, Transform t, BatchTransform bt) {
        return DataLoader.builder(images(37)).batchSize(5).shuffle(true).seed(11).workers(workers)
                .transform(t).batchTransform(bt).build();
    }

    @Test
    void identicalBatchesWhateverTheWorkerCount() {
        for (Transform t : new Transform[]{null, NOISY_FLIP, RANDOM_CROP}) {
            DataLoader l0 = loader(0, t, SCALE), l1 = loader(1, t, SCALE), l3 = loader(3, t, SCALE);
            for (int e = 0; e < 3; e++) {
                List<Snapshot> a = epoch(l0), b = epoch(l1), c = epoch(l3);
                assertEquals(8, a.size());
                assertSameBatches(a, b, "1 worker, epoch " + e);
                assertSameBatches(a, c, "3 workers, epoch " + e);
            }
            assertEquals(3, l3.epoch());
        }
        // Epochs differ from each other, and a crop changes the batch shape.
        DataLoader crop = loader(2, RANDOM_CROP, null);
        List<Snapshot> e0 = epoch(crop), e1 = epoch(crop);
        assertArrayEquals(new int[]{5, 2, 2, 2}, e0.getFirst().shape());
        assertArrayEquals(new int[]{2, 2, 2, 2}, e0.getLast().shape());
        assertFalse(Arrays.equals(e0.getFirst().data(), e1.getFirst().data()));
    }

    @Test
    void transformRngDependsOnSeedEpochAndPositionOnly() {
        // The sample at position p of epoch e sees the generator of sampleSeed(seed, e, p).
        List<Long> seen = new ArrayList<>();
        Transform record = (img, rng) -> {
            synchronized (seen) {
                seen.add(rng.nextLong());
            }
            return img;
        };
        DataLoader l = DataLoader.builder(images(6)).batchSize(4).seed(5).transform(record).build();
        l.setEpoch(2);
        epoch(l);
        for (int p = 0; p < 6; p++)
            assertEquals(new java.util.SplittableRandom(DataLoader.sampleSeed(5, 2, p)).nextLong(), seen.get(p));
    }

    @Test
    void withoutTransformsWorkersGiveTheSameSamplesAsBefore() {
        DataLoader seq = DataLoader.builder(images(23)).batchSize(4).shuffle(true).seed(3).build();
        DataLoader par = DataLoader.builder(images(23)).batchSize(4).shuffle(true).seed(3).workers(2).prefetch(1).build();
        List<Snapshot> a = epoch(seq), b = epoch(par);
        assertSameBatches(a, b, "workers");
        int[] order = seq.order(0);
        for (int i = 0; i < 4; i++) assertEquals(order[i] * 100, a.getFirst().data()[i * 24]);
    }

    @Test
    void workerFailureReachesTheConsumerWithItsCause() throws InterruptedException {
        IllegalStateException boom = new IllegalStateException("bad pixel");
        Transform failing = (img, rng) -> {
            if (img.get(0, 0, 0) == 1700f) throw boom; // dataset index 17
            return img;
        };
        for (int workers : new int[]{0, 1, 3}) {
            DataLoader l = DataLoader.builder(images(30)).batchSize(4).workers(workers).transform(failing).build();
            var it = l.iterator();
            for (int b = 0; b < 4; b++) assertEquals(4, it.next().size(), "batches before the failure arrive");
            DataLoaderException e = assertThrows(DataLoaderException.class, it::next, "workers " + workers);
            assertSame(boom, e.getCause());
            assertEquals(4, e.batch());
            assertEquals(0, e.epoch());
            assertTrue(e.getMessage().contains("batch 4 of 8") && e.getMessage().contains("bad pixel"), e.getMessage());
            assertFalse(it.hasNext(), "a failed epoch is over");
            awaitNoLoaderThreads();
        }
    }

    @Test
    void abandonedEpochsStopTheirWorkers() throws InterruptedException {
        DataLoader l = DataLoader.builder(images(200)).batchSize(2).workers(3).transform(NOISY_FLIP).build();
        // 1. An exception in the training loop, with try-with-resources on the epoch.
        RuntimeException training = new RuntimeException("loss is NaN");
        RuntimeException thrown = assertThrows(RuntimeException.class, () -> {
            try (DataLoader.Epoch it = l.iterator()) {
                while (it.hasNext()) {
                    it.next();
                    if (it.toString().startsWith("epoch 0 (3/")) throw training;
                }
            }
        });
        assertSame(training, thrown);
        awaitNoLoaderThreads();

        // 2. A for-each loop left by break: the next epoch stops the old workers, and close() the new ones.
        for (Batch b : l) {
            assertEquals(2, b.size());
            break;
        }
        assertTrue(loaderThreads() > 0, "the abandoned epoch still prefetches");
        var second = l.iterator();
        second.next();
        l.close();
        awaitNoLoaderThreads();
        assertFalse(second.hasNext());
        assertThrows(IllegalStateException.class, second::next);

        // 3. The loader stays usable after close, and a full epoch ends its workers by itself.
        assertEquals(100, epoch(l).size());
        awaitNoLoaderThreads();
    }

    @Test
    void prefetchIsBounded() throws InterruptedException {
        AtomicInteger made = new AtomicInteger();
        Transform counting = (img, rng) -> {
            made.incrementAndGet();
            return img;
        };
        DataLoader l = DataLoader.builder(images(100)).batchSize(1).workers(2).prefetch(3).transform(counting).build();
        assertEquals(3, l.prefetch());
        try (var it = l.iterator()) {
            it.next();
            Thread.sleep(200);
            int m = made.get();
            assertTrue(m <= 1 + 3, "at most the taken batch plus 3 ahead were prepared, got " + m);
            assertTrue(m >= 2, "the workers prepared ahead, got " + m);
        }
        assertEquals(4, DataLoader.builder(images(1)).workers(2).build().prefetch(), "default 2 per worker");
        assertThrows(IllegalArgumentException.class, () -> DataLoader.builder(images(1)).workers(-1));
        assertThrows(IllegalArgumentException.class, () -> DataLoader.builder(images(1)).prefetch(0));
        assertThrows(IllegalArgumentException.class,
                () -> DataLoader.builder(images(1)).shuffle(true).sampler(Sampler.sequential()).build());
    }

    @Test
    void inconsistentTransformSizesAreReported() {
        Transform ragged = (img, rng) -> img.get(0, 0, 0) == 300f ? Image.zeros(2, 1, 1) : img;
        DataLoader l = DataLoader.builder(images(8)).batchSize(4).transform(ragged).build();
        DataLoaderException e = assertThrows(DataLoaderException.class, () -> epoch(l));
        assertTrue(e.getCause().getMessage().contains("2x1x1 image of the sample at position 3"), e.getCause().getMessage());
    }

    /**
     * Not an assertion (timing on a shared machine): a transform that takes 2 ms a sample (decoding,
     * augmentation) and a consumer that takes 10 ms a batch (training). Sequentially the two add up; with
     * workers the transform runs while the consumer works.
     */
    @Test
    void prefetchOverlapsWithTheConsumer() {
        Transform slow = (img, rng) -> {
            long end = System.nanoTime() + 2_000_000;
            while (System.nanoTime() < end) Thread.onSpinWait();
            return img;
        };
        long[] nanos = new long[3];
        int[] workerCounts = {0, 1, 2};
        for (int k = 0; k < 3; k++) {
            DataLoader l = DataLoader.builder(images(80)).batchSize(4).workers(workerCounts[k]).transform(slow).build();
            long t0 = System.nanoTime();
            int batches = 0;
            for (Batch b : l) {
                batches++;
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            }
            nanos[k] = System.nanoTime() - t0;
            assertEquals(20, batches);
        }
        System.out.printf("prefetch: 20 batches of 4 (2 ms/sample transform, 10 ms/batch consumer): "
                + "workers 0 %.0f ms, 1 %.0f ms, 2 %.0f ms%n", nanos[0] / 1e6, nanos[1] / 1e6, nanos[2] / 1e6);
    }
}
