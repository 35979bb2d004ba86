package org.cnn4j.data;

import org.cnn4j.data.transforms.BatchTransform;
import org.cnn4j.data.transforms.Image;
import org.cnn4j.data.transforms.Transform;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;

import java.lang.ref.Cleaner;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Batches a {@link Dataset}, like PyTorch's {@code DataLoader(ds, batch_size, shuffle, sampler,
 * num_workers, drop_last)} with a per-sample {@link Transform} and a {@link BatchTransform}.
 *
 * <p><b>Order.</b> Each call to {@link #iterator()} is one epoch. A {@link Sampler} chooses the dataset
 * indices the epoch visits and their order, from a {@link SplittableRandom} seeded with
 * {@link #epochSeed(long, int) epochSeed(seed, epoch)}: {@link Sampler#sequential()} by default,
 * {@link Sampler#random()} with {@code shuffle(true)} (a Fisher-Yates permutation), or any sampler given
 * to {@link Builder#sampler}. The epoch starts at 0 and advances by one on every {@code iterator()} call;
 * {@link #setEpoch} picks it explicitly (as PyTorch's {@code DistributedSampler.set_epoch}), e.g. when
 * resuming.
 *
 * <p><b>Transforms.</b> The sample at position {@code p} of epoch {@code e} goes through the transform with
 * a generator seeded by {@link #sampleSeed(long, int, long) sampleSeed(seed, e, p)}, and batch {@code b}
 * through the batch transform with one seeded by {@link #batchSeed(long, int, int) batchSeed(seed, e, b)}.
 * A transform may change the image size (crop, resize); all samples of a batch must come out the same size.
 * Samples that are not {@code C x H x W} are handed to a transform as {@code 1 x H x W} (rank 2) or
 * {@code 1 x 1 x N} (rank 1) images.
 *
 * <p><b>Workers.</b> With {@code workers(n)}, {@code n > 0}, background threads prepare the next batches
 * while the consumer trains on the current one; at most {@link Builder#prefetch prefetch} batches (default
 * {@code 2n}) are prepared ahead. Batches come in order and are bit-identical whatever the number of
 * workers, since every random draw depends only on (seed, epoch, position). A failure in a worker is
 * rethrown to the consumer, when it reaches that batch, as a {@link DataLoaderException} whose cause is
 * the original exception. The workers of an epoch stop when it is exhausted, when its iterator is
 * {@link Epoch#close() closed}, when the next epoch starts, when the loader is {@link #close() closed},
 * or when the abandoned iterator is garbage-collected; they are daemon threads named
 * {@code cnn4j-loader-...}, so they never keep the JVM alive.
 *
 * <p>Every batch gets fresh arrays (callers may keep them, e.g. on an autograd tape). With
 * {@code dropLast} a final batch smaller than {@code batchSize} is dropped, otherwise it is returned.
 * Iterate from one thread.
 */
public final class DataLoader implements Iterable<Batch>, AutoCloseable {
    private static final Cleaner CLEANER = Cleaner.create(r -> {
        Thread t = new Thread(r, "cnn4j-loader-cleaner");
        t.setDaemon(true);
        return t;
    });
    private static final AtomicInteger EPOCH_IDS = new AtomicInteger();
    /** Prefix of every worker thread's name. */
    public static final String THREAD_PREFIX = "cnn4j-loader-";

    private final Dataset dataset;
    private final int batchSize;
    private final boolean shuffle;
    private final long seed;
    private final boolean dropLast;
    private final Sampler sampler;
    private final Transform transform;
    private final BatchTransform batchTransform;
    private final int workers;
    private final int prefetch;
    private int epoch;
    private Epoch current;

    private DataLoader(Builder b) {
        this.dataset = b.dataset;
        this.batchSize = b.batchSize;
        this.shuffle = b.shuffle;
        this.seed = b.seed;
        this.dropLast = b.dropLast;
        this.sampler = b.sampler != null ? b.sampler : shuffle ? Sampler.random() : Sampler.sequential();
        this.transform = b.transform;
        this.batchTransform = b.batchTransform;
        this.workers = b.workers;
        this.prefetch = b.prefetch > 0 ? b.prefetch : Math.max(2, 2 * b.workers);
    }

    public static Builder builder(Dataset ds) {
        return new Builder(ds);
    }

    /** Settings with PyTorch's defaults: batch size 1, no shuffle, seed 0, keep the last partial batch, no workers. */
    public static final class Builder {
        private final Dataset dataset;
        private int batchSize = 1;
        private boolean shuffle;
        private long seed;
        private boolean dropLast;
        private Sampler sampler;
        private Transform transform;
        private BatchTransform batchTransform;
        private int workers;
        private int prefetch;

        private Builder(Dataset dataset) {
            this.dataset = Objects.requireNonNull(dataset, "dataset");
        }

        public Builder batchSize(int batchSize) {
            if (batchSize < 1) throw new IllegalArgumentException("DataLoader: batchSize must be >= 1. Received: batchSize=" + batchSize);
            this.batchSize = batchSize;
            return this;
        }

        /** A fresh permutation every epoch ({@link Sampler#random()}); excludes {@link #sampler}. */
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

        /** Which samples each epoch visits and in which order (default sequential; excludes {@code shuffle(true)}). */
        public Builder sampler(Sampler sampler) {
            this.sampler = Objects.requireNonNull(sampler, "sampler");
            return this;
        }

        /** Applied to every sample (null for none); must be thread-safe when {@link #workers} is above 0. */
        public Builder transform(Transform transform) {
            this.transform = transform;
            return this;
        }

        /** Applied to every assembled batch (null for none), e.g. MixUp. */
        public Builder batchTransform(BatchTransform batchTransform) {
            this.batchTransform = batchTransform;
            return this;
        }

        /** Background threads preparing batches (default 0: batches are made in the iterating thread). */
        public Builder workers(int workers) {
            if (workers < 0) throw new IllegalArgumentException("workers must be >= 0. Received: " + workers);
            this.workers = workers;
            return this;
        }

        /** How many batches the workers may prepare ahead of the consumer (default {@code max(2, 2 * workers)}). */
        public Builder prefetch(int batches) {
            if (batches < 1) throw new IllegalArgumentException("prefetch must be >= 1 batch. Received: " + batches);
            this.prefetch = batches;
            return this;
        }

        public DataLoader build() {
            if (shuffle && sampler != null)
                throw new IllegalArgumentException("shuffle(true) and sampler(" + sampler
                        + ") are mutually exclusive: use Sampler.random() or shuffle within the sampler");
            return new DataLoader(this);
        }
    }

    /** Batches per epoch. */
    public int numBatches() {
        int n = sampler.length(dataset.size());
        return dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
    }

    /** Samples per epoch, as the sampler draws them (before dropping a partial last batch). */
    public int numSamples() {
        return sampler.length(dataset.size());
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

    public Sampler sampler() {
        return sampler;
    }

    public int workers() {
        return workers;
    }

    public int prefetch() {
        return prefetch;
    }

    /** The epoch the next {@link #iterator()} call will produce. */
    public int epoch() {
        return epoch;
    }

    /** Makes the next {@link #iterator()} call produce epoch {@code epoch}. */
    public void setEpoch(int epoch) {
        if (epoch < 0) throw new IllegalArgumentException("DataLoader: epoch must be >= 0. Received: epoch=" + epoch);
        this.epoch = epoch;
    }

    /** The seed of epoch {@code epoch}'s sampler generator: a mix of both, so nearby seeds differ. */
    public static long epochSeed(long seed, int epoch) {
        return mix64(seed ^ mix64(0x9E3779B97F4A7C15L * (epoch + 1L)));
    }

    /** The seed of the transform generator for the sample at {@code position} of epoch {@code epoch}. */
    public static long sampleSeed(long seed, int epoch, long position) {
        return mix64(epochSeed(seed, epoch) ^ mix64(0xD1B54A32D192ED03L * (position + 1) + 0x5A17L));
    }

    /** The seed of the batch-transform generator for batch {@code batch} of epoch {@code epoch}. */
    public static long batchSeed(long seed, int epoch, int batch) {
        return mix64(epochSeed(seed, epoch) ^ mix64(0x8CB92BA72F3D8DD7L * (batch + 1L) + 0xBA7C4L));
    }

    static long mix64(long z) { // SplitMix64's finaliser
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** The dataset indices epoch {@code epoch} visits, in order (identity without shuffling or sampler). */
    public int[] order(int epoch) {
        int n = dataset.size();
        int[] idx = sampler.indices(n, new SplittableRandom(epochSeed(seed, epoch)));
        if (idx.length != sampler.length(n))
            throw new IllegalStateException(sampler + " returned " + idx.length + " indices but promised " + sampler.length(n));
        return Samplers.checked(idx, n);
    }

    /**
     * One epoch of batches; advances the epoch counter by one. Closes the previous epoch's iterator if it
     * is still running. The returned iterator may be closed early (try-with-resources) to stop its workers.
     */
    @Override
    public Epoch iterator() {
        return iterator(0);
    }

    /**
     * One epoch that starts at batch {@code firstBatch}: the batches, shuffle order and random draws
     * are those the same epoch from the start would give from that batch on (every draw depends only
     * on seed, epoch and position). A resumed run uses it to skip the batches done before a checkpoint.
     */
    public Epoch iterator(int firstBatch) {
        if (current != null) current.close();
        Epoch e = new Epoch(epoch, order(epoch), firstBatch);
        epoch++;
        current = e;
        return e;
    }

    /** Stops the workers of the epoch being iterated, if any. The loader stays usable. */
    @Override
    public void close() {
        if (current != null) current.close();
        current = null;
    }

    /** Builds batch {@code b} of an epoch; called from workers or the consumer, touches no mutable state. */
    private Batch makeBatch(int epochIndex, int[] order, int b) {
        int start = b * batchSize;
        int n = Math.min(batchSize, order.length - start);
        int[] sampleShape = dataset.sampleShape();
        int sampleSize = dataset.sampleSize();
        int[] labels = new int[n];
        float[] data;
        int[] outShape;
        if (transform == null) {
            data = new float[n * sampleSize];
            for (int i = 0; i < n; i++) labels[i] = dataset.copySample(order[start + i], data, i * sampleSize);
            outShape = sampleShape;
        } else {
            data = null;
            outShape = null;
            int outSize = 0;
            int[] imageShape = imageShape(sampleShape);
            for (int i = 0; i < n; i++) {
                int position = start + i;
                float[] buf = new float[sampleSize];
                labels[i] = dataset.copySample(order[position], buf, 0);
                Image img = new Image(imageShape[0], imageShape[1], imageShape[2], buf);
                Image out = transform.apply(img, new SplittableRandom(sampleSeed(seed, epochIndex, position)));
                if (out == null) throw new IllegalStateException("the transform " + transform + " returned null");
                if (data == null) {
                    outShape = Arrays.equals(out.shape(), imageShape) ? sampleShape : out.shape();
                    outSize = out.data().length;
                    data = new float[n * outSize];
                } else if (out.data().length != outSize || !Arrays.equals(out.shape(), imageShape(outShape))) {
                    throw new IllegalStateException("the transform made a " + out.channels() + "x" + out.height() + "x"
                            + out.width() + " image of the sample at position " + position + " (dataset index " + order[position]
                            + ") but " + Shape.str(outShape) + " of the first sample of its batch; a batch needs one size");
                }
                System.arraycopy(out.data(), 0, data, i * outSize, outSize);
            }
        }
        int[] shape = new int[outShape.length + 1];
        shape[0] = n;
        System.arraycopy(outShape, 0, shape, 1, outShape.length);
        Batch batch = new Batch(new Tensor(data, shape), labels);
        if (batchTransform != null) {
            batch = batchTransform.apply(batch, new SplittableRandom(batchSeed(seed, epochIndex, b)));
            if (batch == null) throw new IllegalStateException("the batch transform " + batchTransform + " returned null");
        }
        return batch;
    }

    private static int[] imageShape(int[] s) {
        return switch (s.length) {
            case 3 -> s;
            case 2 -> new int[]{1, s[0], s[1]};
            case 1 -> new int[]{1, 1, s[0]};
            default -> throw new IllegalStateException("a transform needs samples shaped C x H x W, H x W or N; got "
                    + Shape.str(s));
        };
    }

    /**
     * One epoch's batches, in order. With workers, {@link #close()} stops them (idempotent); exhausting the
     * iterator or a failure closes it too.
     */
    public final class Epoch implements Iterator<Batch>, AutoCloseable {
        private final int epochIndex;
        private final int[] order;
        private final int batches;
        private final Workers workers;
        private final Cleaner.Cleanable cleanable;
        private int next;
        private boolean closed;

        private Epoch(int epochIndex, int[] order, int firstBatch) {
            this.epochIndex = epochIndex;
            this.order = order;
            int n = order.length;
            this.batches = dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
            if (firstBatch < 0 || firstBatch > batches)
                throw new IllegalArgumentException("first batch must be between 0 and " + batches + " (the epoch's batches). Received: "
                        + firstBatch);
            this.next = firstBatch;
            if (DataLoader.this.workers > 0 && batches > firstBatch) {
                workers = new Workers(DataLoader.this, epochIndex, order, batches, firstBatch, DataLoader.this.workers, prefetch);
                cleanable = CLEANER.register(this, workers::cancel);
                workers.start();
            } else {
                workers = null;
                cleanable = null;
            }
        }

        /** The epoch (from 0) this iterator produces. */
        public int epoch() {
            return epochIndex;
        }

        /** Batches in this epoch. */
        public int size() {
            return batches;
        }

        @Override
        public boolean hasNext() {
            return next < batches && !closed;
        }

        @Override
        public Batch next() {
            if (closed && next < batches)
                throw new IllegalStateException("epoch " + epochIndex + " was closed after " + next + " of " + batches + " batches");
            if (!hasNext()) throw new NoSuchElementException();
            int b = next;
            Batch batch;
            if (workers == null) {
                try {
                    batch = makeBatch(epochIndex, order, b);
                } catch (RuntimeException | Error e) {
                    closed = true;
                    throw failure(b, e, "");
                }
            } else {
                try {
                    batch = workers.take(b);
                } catch (ExecutionException e) {
                    close();
                    throw failure(b, e.getCause(), " in a worker thread");
                } catch (InterruptedException e) {
                    close();
                    Thread.currentThread().interrupt();
                    throw new DataLoaderException("interrupted while waiting for batch " + b + " of epoch " + epochIndex,
                            epochIndex, b, e);
                }
            }
            next++;
            if (next == batches) close();
            return batch;
        }

        private DataLoaderException failure(int b, Throwable cause, String where) {
            String m = cause.getMessage();
            return new DataLoaderException("preparing batch " + b + " of " + batches + " (epoch " + epochIndex + ") failed" + where
                    + ": " + cause.getClass().getSimpleName() + (m != null ? ": " + m : ""), epochIndex, b, cause);
        }

        /** Stops and joins the workers; later {@link #hasNext()} is false. */
        @Override
        public void close() {
            if (closed) return;
            closed = true;
            if (workers != null) {
                cleanable.clean(); // cancels
                workers.join();
            }
        }

        @Override
        public String toString() {
            return "epoch " + epochIndex + " (" + next + "/" + batches + " batches" + (closed ? ", closed" : "") + ")";
        }
    }

    /** The threads of one epoch; references the loader and the order but never the {@link Epoch}. */
    private static final class Workers {
        private final DataLoader loader;
        private final int epochIndex;
        private final int[] order;
        private final int batches;
        private final CompletableFuture<Batch>[] results;
        private final Semaphore permits;
        private final AtomicInteger ticket = new AtomicInteger();
        private final Thread[] threads;
        private volatile boolean cancelled;

        @SuppressWarnings("unchecked")
        Workers(DataLoader loader, int epochIndex, int[] order, int batches, int firstBatch, int count, int prefetch) {
            this.loader = loader;
            this.epochIndex = epochIndex;
            this.order = order;
            this.batches = batches;
            this.results = new CompletableFuture[batches];
            for (int i = 0; i < batches; i++) results[i] = new CompletableFuture<>();
            this.permits = new Semaphore(prefetch);
            ticket.set(firstBatch);
            int id = EPOCH_IDS.incrementAndGet();
            this.threads = new Thread[Math.min(count, batches - firstBatch)];
            for (int k = 0; k < threads.length; k++) {
                Thread t = new Thread(this::run, THREAD_PREFIX + id + "-e" + epochIndex + "-w" + k);
                t.setDaemon(true);
                threads[k] = t;
            }
        }

        void start() {
            for (Thread t : threads) t.start();
        }

        private void run() {
            try {
                while (!cancelled) {
                    permits.acquire();
                    int b = ticket.getAndIncrement();
                    if (b >= batches || cancelled) {
                        permits.release(); // let the other workers see the end too
                        return;
                    }
                    try {
                        results[b].complete(loader.makeBatch(epochIndex, order, b));
                    } catch (Throwable t) {
                        results[b].completeExceptionally(t);
                        if (t instanceof Error && !(t instanceof AssertionError)) return;
                    }
                }
            } catch (InterruptedException e) {
                // cancelled
            }
        }

        Batch take(int b) throws ExecutionException, InterruptedException {
            Batch batch = results[b].get();
            results[b] = null; // the consumer owns it now
            permits.release();
            return batch;
        }

        void cancel() {
            cancelled = true;
            for (Thread t : threads) t.interrupt();
        }

        /** Waits for the threads to end (a worker finishes the sample it is on; bounded to 10 s). */
        void join() {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            boolean interrupted = false;
            for (Thread t : threads) {
                while (t.isAlive()) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) break;
                    try {
                        t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
            }
            if (interrupted) Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "DataLoader(" + dataset + ", batchSize=" + batchSize + ", sampler=" + sampler + ", seed=" + seed
                + ", dropLast=" + dropLast + ", workers=" + workers + ")";
    }
}
