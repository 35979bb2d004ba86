package org.cnn4j.reliability;

import org.cnn4j.data.DataLoader;
import org.cnn4j.data.Dataset;
import org.cnn4j.data.Datasets;
import org.cnn4j.data.FashionMnist;
import org.cnn4j.io.AtomicFiles;
import org.cnn4j.models.FashionCNN;
import org.cnn4j.optim.Adam;
import org.cnn4j.tensor.Rng;
import org.cnn4j.train.EpochResult;
import org.cnn4j.train.Trainer;
import org.cnn4j.train.TrainingListener;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * The soak benchmark (run by cnn4j-bench/soak.sh): trains FashionCNN on Fashion-MNIST as the seed does
 * (batch 100, Adam 1e-3) for EPOCHS epochs or MINUTES minutes, whichever ends first, and after every epoch
 * records in a CSV: the retained heap (used after a full GC), the committed heap, non-heap (metaspace, code
 * cache), direct and mapped NIO buffers, the process's resident set (VmRSS) and its thread count. A leak
 * shows as a growing retained heap; off-heap growth as RSS growing while the heap stays flat.
 *
 * <p>Usage: {@code Soak [EPOCHS=20] [MINUTES=30] [LIMIT=60000] [CSV=soak.csv] [TEST_LIMIT=10000]}.
 */
public final class Soak {
    public static final String HEADER = "epoch,seconds,train_loss,test_accuracy,heap_used_after_gc_mb,heap_committed_mb,"
            + "non_heap_used_mb,direct_buffers_mb,mapped_buffers_mb,rss_mb,threads";

    private Soak() {}

    public static void main(String[] args) throws Exception {
        int epochs = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        double minutes = args.length > 1 ? Double.parseDouble(args[1]) : 30;
        int limit = args.length > 2 ? Integer.parseInt(args[2]) : 60_000;
        Path csv = Path.of(args.length > 3 ? args[3] : "soak.csv");
        int testLimit = args.length > 4 ? Integer.parseInt(args[4]) : 10_000;

        Dataset train = FashionMnist.train(null), test = FashionMnist.test(null);
        if (limit < train.size()) train = Datasets.subset(train, IntStream.range(0, limit).toArray());
        if (testLimit < test.size()) test = Datasets.subset(test, IntStream.range(0, testLimit).toArray());
        Rng.manualSeed(42);
        FashionCNN model = new FashionCNN();
        DataLoader trainLoader = DataLoader.builder(train).batchSize(100).shuffle(true).seed(42).build();
        DataLoader testLoader = DataLoader.builder(test).batchSize(100).build();
        Trainer trainer = new Trainer(model, new Adam(model.parameters(), 1e-3f));

        StringBuilder rows = new StringBuilder(HEADER).append('\n');
        long start = System.nanoTime();
        long deadline = start + (long) (minutes * 60e9);
        System.out.println("soak: FashionCNN, " + train.size() + " training images, " + test.size() + " test images, up to " + epochs
                + " epochs or " + minutes + " minutes; max heap " + Runtime.getRuntime().maxMemory() / (1 << 20) + " MB; writing " + csv);
        String first = sample(0, 0, Double.NaN, Double.NaN); // before training: the baseline
        rows.append(first).append('\n');
        AtomicFiles.writeString(csv, rows.toString());
        System.out.println(HEADER);
        System.out.println(first);
        trainer.addListener(new TrainingListener() {
            @Override
            public void onEpochEnd(EpochResult r) {
                try {
                    String row = sample(r.epoch(), (System.nanoTime() - start) / 1e9, r.trainLoss(), r.testAccuracy());
                    rows.append(row).append('\n');
                    AtomicFiles.writeString(csv, rows.toString());
                    System.out.println(row);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                if (System.nanoTime() > deadline) throw new TimeUp();
            }
        });
        try {
            trainer.fit(trainLoader, testLoader, epochs);
        } catch (TimeUp stop) {
            System.out.println("soak: time limit reached");
        }
    }

    private static final class TimeUp extends RuntimeException {
        TimeUp() {
            super(null, null, false, false);
        }
    }

    private static String sample(int epoch, double seconds, double loss, double acc) throws Exception {
        MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 2; i++) {
            System.gc();
            Thread.sleep(100);
        }
        double mb = 1 << 20;
        long direct = 0, mapped = 0;
        for (BufferPoolMXBean b : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            if (b.getName().equals("direct")) direct = b.getMemoryUsed();
            if (b.getName().startsWith("mapped")) mapped += b.getMemoryUsed();
        }
        return String.format(Locale.ROOT, "%d,%.1f,%.5f,%.4f,%.1f,%.1f,%.1f,%.2f,%.2f,%.1f,%d", epoch, seconds, loss, acc,
                mem.getHeapMemoryUsage().getUsed() / mb, mem.getHeapMemoryUsage().getCommitted() / mb,
                mem.getNonHeapMemoryUsage().getUsed() / mb, direct / mb, mapped / mb, rssKb() / 1024.0, Thread.activeCount());
    }

    /** VmRSS from /proc/self/status, in KB; -1 where there is none. */
    static long rssKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status")))
                if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("\\D+", ""));
        } catch (Exception ignored) {
            // not Linux
        }
        return -1;
    }
}
