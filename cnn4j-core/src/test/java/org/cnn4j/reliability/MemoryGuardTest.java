package org.cnn4j.reliability;

import org.cnn4j.data.ArrayDataset;
import org.cnn4j.data.DataLoader;
import org.cnn4j.models.FashionCNN;
import org.cnn4j.models.FashionDNN;
import org.cnn4j.nn.Linear;
import org.cnn4j.nn.Module;
import org.cnn4j.optim.Adam;
import org.cnn4j.train.MemoryGuard;
import org.cnn4j.train.Trainer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The memory guard's estimate, its message, and a real small heap (-Xmx in a child JVM). */
class MemoryGuardTest {
    @Test
    void activationEstimateOfFashionCnnCountsEveryLeafOutput() {
        FashionCNN m = new FashionCNN();
        // input 784; conv, bn, relu 3 x 32x28x28; pool 32x14x14; conv, bn, relu 3 x 64x12x12; pool 64x6x6; fc1, drop 2 x 600; fc2 120; fc3 10
        long elements = 784 + 3 * 25088 + 6272 + 3 * 9216 + 2304 + 2 * 600 + 120 + 10;
        assertEquals(4 * elements, MemoryGuard.activationBytesPerSample(m, new int[] {1, 28, 28}));
        assertTrue(m.isTraining(), "mode restored");
        m.namedModules().get("drop").eval();
        MemoryGuard.activationBytesPerSample(m, new int[] {1, 28, 28});
        assertFalse(m.namedModules().get("drop").isTraining(), "mixed modes restored exactly");
        assertTrue(m.namedModules().get("fc1").isTraining());
        assertEquals(4L * (1 + 1), MemoryGuard.activationBytesPerSample(new Linear(1, 1), new int[] {1}), "a single layer");
    }

    @Test
    void refusesWithTheEstimateTheHeapAndTheLargestBatch() {
        FashionCNN m = new FashionCNN();
        MemoryGuard.Estimate e = MemoryGuard.estimate(m, new int[] {1, 28, 28}, 1000, true);
        assertEquals((long) Math.ceil(e.activationBytesPerSample() * 3.0), e.perSampleBytes());
        assertEquals(3L * 4 * 1_475_338, e.fixedBytes());
        long available = 200L << 20;
        var ex = assertThrows(MemoryGuard.InsufficientMemoryException.class, () -> MemoryGuard.check(e, m, available, 256L << 20));
        int largest = (int) ((available - e.fixedBytes()) / e.perSampleBytes());
        assertEquals(largest, ex.largestBatch());
        assertTrue(e.totalBytes() > available && e.fixedBytes() + (long) largest * e.perSampleBytes() <= available
                && e.fixedBytes() + (long) (largest + 1) * e.perSampleBytes() > available);
        String msg = ex.getMessage();
        assertTrue(msg.contains("batches of 1000"), msg);
        assertTrue(msg.contains("largest batch that fits is " + largest), msg);
        assertTrue(msg.contains("200.0 MB free of its maximum 256.0 MB"), msg);
        assertTrue(msg.contains("-Xmx"), msg);
        MemoryGuard.check(MemoryGuard.estimate(m, new int[] {1, 28, 28}, largest, true), m, available, 256L << 20); // fits: no throw
        var none = assertThrows(MemoryGuard.InsufficientMemoryException.class, () -> MemoryGuard.check(e, m, 1 << 20, 1 << 20));
        assertEquals(0, none.largestBatch());
        assertTrue(none.getMessage().contains("Not even one sample fits"), none.getMessage());
    }

    @Test
    void theTrainerChecksBeforeTheFirstStep() {
        FashionDNN m = new FashionDNN();
        float[] x = new float[4 * 784];
        ArrayDataset ds = new ArrayDataset(x, new int[] {1, 28, 28}, new int[4], List.of("a", "b", "c", "d", "e", "f", "g", "h", "i", "j"));
        // A batch size far beyond any heap: the guard refuses before the loader makes a batch (which holds only 4 samples).
        DataLoader loader = DataLoader.builder(ds).batchSize(Integer.MAX_VALUE / 8).build();
        Trainer t = new Trainer(m, new Adam(m.parameters(), 1e-3f));
        var ex = assertThrows(MemoryGuard.InsufficientMemoryException.class, () -> t.fit(loader, null, 1));
        assertTrue(ex.largestBatch() > 0 && ex.largestBatch() < Integer.MAX_VALUE / 8, ex.getMessage());
        assertTrue(ex.getMessage().startsWith("not enough memory: training FashionDNN"), ex.getMessage());
        t.memoryGuard(false); // off: the tiny dataset trains
        t.fit(loader, null, 1);
    }

    @Test
    void aSmallHeapChildFailsWithTheGuardsMessageNotAnOutOfMemoryError() throws IOException, InterruptedException {
        ChildJvm.Result r = ChildJvm.run(List.of("-Xmx96m"), Children.class, "memory", "fashion-cnn", "2000");
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("REFUSED not enough memory: training FashionCNN with batches of 2000"), r.output());
        assertFalse(r.output().contains("OutOfMemoryError"), r.output());
        int largest = Integer.parseInt(r.output().replaceAll("(?s).*LARGEST (\\d+).*", "$1"));
        assertTrue(largest > 0 && largest < 2000, r.output());
        // ... and the batch it names does train in that heap.
        ChildJvm.Result ok = ChildJvm.run(List.of("-Xmx96m"), Children.class, "memory", "fashion-cnn", Integer.toString(largest));
        assertEquals(0, ok.exitCode(), ok.output());
        assertTrue(ok.output().contains("TRAINED"), ok.output());
        System.out.println("memory guard at -Xmx96m: FashionCNN batch 2000 refused, largest batch named " + largest + ", which then trained");
    }
}
