package org.cnn4j.data;

import org.cnn4j.tensor.Tensor;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Batches a {@link Dataset}, like PyTorch's {@code DataLoader(ds, batch_size, shuffle, drop_last)}.
 *
 * <p>Each call to {@link #iterator()} is one epoch. Without shuffling, samples come in index order. With
 * shuffling, epoch {@code e} visits the samples in a permutation (Fisher-Yates) drawn from a
 * {@link SplittableRandom} seeded with {@link #epochSeed(long, int) epochSeed(seed, e)}, so a run is
 * reproducible and independent of how many batches earlier epochs consumed. The epoch starts at 0 and
 * advances by one on every {@code iterator()} call; {@link #setEpoch} picks it explicitly (as
 * PyTorch's {@code DistributedSampler.set_epoch}), e.g. when resuming.
 *
 * <p>Every batch gets a fresh input tensor (callers may keep it, e.g. on an autograd tape). With
 * {@code dropLast} a final batch smaller than {@code batchSize} is dropped, otherwise it is returned.
 * Not thread-safe: iterate from one thread.
 */
public final class DataLoader implements Iterable<Batch> {
    private final Dataset dataset;
    private final int batchSize;
    private final boolean shuffle;
    private final long seed;
    private final boolean dropLast;
    private int epoch;

    private DataLoader(Builder b) {
        this.dataset = b.dataset;
        this.batchSize = b.batchSize;
        this.shuffle = b.shuffle;
        this.seed = b.seed;
        this.dropLast = b.dropLast;
    }

    public static Builder builder(Dataset ds) {
        return new Builder(ds);
    }

    /** Settings with PyTorch's defaults: batch size 1, no shuffle, seed 0, keep the last partial batch. */
    public static final class Builder {
        private final Dataset dataset;
        private int batchSize = 1;
        private boolean shuffle;
        private long seed;
        private boolean dropLast;

        private Builder(Dataset dataset) {
            this.dataset = Objects.requireNonNull(dataset, "dataset");
        }

        public Builder batchSize(int batchSize) {
            if (batchSize < 1) throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
            this.batchSize = batchSize;
            return this;
        }

        public Builder shuffle(boolean shuffle) {
            this.shuffle = shuffle;
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public Builder dropLast(boolean dropLast) {
            this.dropLast = dropLast;
            return this;
        }

        public DataLoader build() {
            return new DataLoader(this);
        }
    }

    /** Batches per epoch. */
    public int numBatches() {
        int n = dataset.size();
        return dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
    }

    public Dataset dataset() {
        return dataset;
    }

    public int batchSize() {
        return batchSize;
    }

    public boolean shuffle() {
        return shuffle;
    }

    public long seed() {
        return seed;
    }

    public boolean dropLast() {
        return dropLast;
    }

    /** The epoch the next {@link #iterator()} call will produce. */
    public int epoch() {
        return epoch;
    }

    /** Makes the next {@link #iterator()} call produce epoch {@code epoch}. */
    public void setEpoch(int epoch) {
        if (epoch < 0) throw new IllegalArgumentException("epoch must be >= 0, got " + epoch);
        this.epoch = epoch;
    }

    /** The seed of epoch {@code epoch}'s permutation generator: a mix of both, so nearby seeds differ. */
    public static long epochSeed(long seed, int epoch) {
        return mix64(seed ^ mix64(0x9E3779B97F4A7C15L * (epoch + 1L)));
    }

    private static long mix64(long z) { // SplitMix64's finaliser
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** The order in which epoch {@code epoch} visits the samples (identity without shuffling). */
    public int[] order(int epoch) {
        int n = dataset.size();
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) idx[i] = i;
        if (shuffle) {
            SplittableRandom rng = new SplittableRandom(epochSeed(seed, epoch));
            for (int i = n - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1);
                int t = idx[i];
                idx[i] = idx[j];
                idx[j] = t;
            }
        }
        return idx;
    }

    /** One epoch of batches; advances the epoch counter by one. */
    @Override
    public Iterator<Batch> iterator() {
        int[] order = order(epoch);
        epoch++;
        int batches = numBatches();
        int sampleSize = dataset.sampleSize();
        int[] sampleShape = dataset.sampleShape();
        return new Iterator<>() {
            int next;

            @Override
            public boolean hasNext() {
                return next < batches;
            }

            @Override
            public Batch next() {
                if (!hasNext()) throw new NoSuchElementException();
                int start = next * batchSize;
                int b = Math.min(batchSize, order.length - start);
                next++;
                float[] data = new float[b * sampleSize];
                int[] labels = new int[b];
                for (int i = 0; i < b; i++) labels[i] = dataset.copySample(order[start + i], data, i * sampleSize);
                int[] shape = new int[sampleShape.length + 1];
                shape[0] = b;
                System.arraycopy(sampleShape, 0, shape, 1, sampleShape.length);
                return new Batch(new Tensor(data, shape), labels);
            }
        };
    }

    @Override
    public String toString() {
        return "DataLoader(" + dataset + ", batchSize=" + batchSize + ", shuffle=" + shuffle + ", seed=" + seed
                + ", dropLast=" + dropLast + ")";
    }
}
