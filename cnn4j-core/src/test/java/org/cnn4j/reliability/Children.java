package org.cnn4j.reliability;

import org.cnn4j.data.ArrayDataset;
import org.cnn4j.data.DataLoader;
import org.cnn4j.io.AtomicFiles;
import org.cnn4j.io.SafeTensors;
import org.cnn4j.models.Zoo;
import org.cnn4j.nn.Module;
import org.cnn4j.optim.Adam;
import org.cnn4j.tensor.Rng;
import org.cnn4j.tensor.Tensor;
import org.cnn4j.train.MemoryGuard;
import org.cnn4j.train.Trainer;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Entry points of the child JVMs the reliability tests start (each prints what the parent checks):
 * <ul>
 *   <li>{@code memory MODEL BATCH}: trains one step with that batch size on synthetic data; prints
 *       {@code REFUSED <message>} and {@code LARGEST <n>} when the memory guard refuses, else {@code TRAINED};</li>
 *   <li>{@code atomic DIR}: rewrites DIR/model.safetensors and DIR/blob.bin in an endless loop, version after
 *       version, printing {@code WROTE <version>} after each pair (the parent kills it at random moments);</li>
 *   <li>{@code weights MODEL STEPS OUT [adam|sgd]}: trains STEPS Adam (lr 1e-3) or SGD (lr 0.01) steps with seed 42 on synthetic data and writes the
 *       weights to OUT (the parent runs it with different {@code -Dcnn4j.threads}).</li>
 * </ul>
 */
public final class Children {
    private Children() {}

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "memory" -> memory(args[1], Integer.parseInt(args[2]));
            case "atomic" -> atomic(Path.of(args[1]));
            case "weights" -> weights(args[1], Integer.parseInt(args[2]), Path.of(args[3]), args.length > 4 ? args[4] : "adam");
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    /** {@code n} samples of {@code shape} with a fixed pseudo-random pattern and labels 0..classes-1. */
    static ArrayDataset synthetic(int n, int[] shape, int classes, long seed) {
        int size = 1;
        for (int d : shape) size *= d;
        float[] x = new float[n * size];
        int[] y = new int[n];
        java.util.Random r = new java.util.Random(seed);
        for (int i = 0; i < n; i++) {
            y[i] = i % classes;
            for (int j = 0; j < size; j++) x[i * size + j] = r.nextFloat() * 0.5f + (j % (y[i] + 2) == 0 ? 0.5f : 0f);
        }
        List<String> names = new ArrayList<>();
        for (int c = 0; c < classes; c++) names.add("c" + c);
        return new ArrayDataset(x, shape, y, names);
    }

    private static void memory(String model, int batch) {
        Module m = Zoo.create(model, 10);
        ArrayDataset ds = synthetic(batch, Zoo.entry(model).inputShape(), 10, 1);
        try {
            new Trainer(m, new Adam(m.parameters(), 1e-3f)).fit(DataLoader.builder(ds).batchSize(batch).build(), null, 1);
            System.out.println("TRAINED");
        } catch (MemoryGuard.InsufficientMemoryException e) {
            System.out.println("REFUSED " + e.getMessage());
            System.out.println("LARGEST " + e.largestBatch());
        }
    }

    /** A version's content: every float of the model equals the version; blob.bin = version, length, then a pattern. */
    static Map<String, Tensor> modelVersion(int version) {
        Map<String, Tensor> t = new LinkedHashMap<>();
        for (int k = 0; k < 4; k++) {
            float[] a = new float[1 << 19]; // 2 MiB each, 8 MiB in all
            java.util.Arrays.fill(a, version);
            t.put("w" + k, new Tensor(a, a.length));
        }
        return t;
    }

    static byte[] blobVersion(int version) {
        int n = (3 << 20) + version * 1024; // about 3 MiB, a different length per version
        ByteBuffer b = ByteBuffer.allocate(n);
        b.putInt(version).putInt(n);
        while (b.hasRemaining()) b.put((byte) (version * 31 + b.position()));
        return b.array();
    }

    private static void atomic(Path dir) throws Exception {
        for (int v = 1; ; v++) {
            SafeTensors.write(dir.resolve("model.safetensors"), modelVersion(v), Map.of("version", Integer.toString(v)));
            AtomicFiles.writeBytes(dir.resolve("blob.bin"), blobVersion(v));
            System.out.println("WROTE " + v);
            System.out.flush();
        }
    }

    private static void weights(String model, int steps, Path out, String optimizer) throws Exception {
        Rng.manualSeed(42);
        Module m = Zoo.create(model, 10);
        ArrayDataset ds = synthetic(steps * 32, Zoo.entry(model).inputShape(), 10, 7);
        new Trainer(m, optimizer.equals("sgd") ? new org.cnn4j.optim.SGD(m.parameters(), 0.01f) : new Adam(m.parameters(), 1e-3f))
                .fit(DataLoader.builder(ds).batchSize(32).shuffle(true).seed(42).build(), null, 1);
        SafeTensors.write(out, m.stateDict(), Map.of("threads", Integer.toString(org.cnn4j.kernels.Parallel.threads())));
        System.out.println("THREADS " + org.cnn4j.kernels.Parallel.threads());
    }
}
