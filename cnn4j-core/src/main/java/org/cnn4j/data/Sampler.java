package org.cnn4j.data;

import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Chooses which samples an epoch visits, and in which order (PyTorch's {@code torch.utils.data.Sampler}).
 *
 * <p>A sampler is a pure function of the dataset size and a generator: the {@link DataLoader} hands it a
 * {@link SplittableRandom} seeded from (loader seed, epoch), so an epoch's order is reproducible and does
 * not depend on earlier epochs or on the number of worker threads. Implementations must not keep state
 * between calls.
 *
 * <p>The built-in samplers: {@link #sequential()}, {@link #random()} (a permutation, what
 * {@code shuffle(true)} uses), {@link #randomWithReplacement(int)}, {@link #subset(int...)},
 * {@link #subsetRandom(int...)}, {@link #weighted(double[], int, boolean)} and
 * {@link #classBalanced(Dataset, int)}.
 */
public interface Sampler {
    /** Samples one epoch visits, for a dataset of {@code datasetSize} samples. */
    int length(int datasetSize);

    /**
     * The {@link #length} dataset indices of one epoch, in visiting order, each in {@code [0, datasetSize)}.
     * Randomness only from {@code rng}.
     */
    int[] indices(int datasetSize, SplittableRandom rng);

    /** Index order 0, 1, ..., n-1 every epoch (PyTorch's {@code SequentialSampler}). */
    static Sampler sequential() {
        return Samplers.SEQUENTIAL;
    }

    /** A fresh uniform permutation (Fisher-Yates) every epoch (PyTorch's {@code RandomSampler}). */
    static Sampler random() {
        return Samplers.RANDOM;
    }

    /** {@code numSamples} indices drawn uniformly with replacement every epoch. */
    static Sampler randomWithReplacement(int numSamples) {
        Samplers.positive("numSamples", numSamples);
        return new Sampler() {
            @Override public int length(int n) { return numSamples; }

            @Override
            public int[] indices(int n, SplittableRandom rng) {
                if (n == 0) throw new IllegalStateException("cannot draw " + numSamples + " samples from an empty dataset");
                int[] idx = new int[numSamples];
                for (int i = 0; i < numSamples; i++) idx[i] = rng.nextInt(n);
                return idx;
            }

            @Override public String toString() { return "RandomSampler(replacement, " + numSamples + ")"; }
        };
    }

    /** Exactly these dataset indices, in this order, every epoch. */
    static Sampler subset(int... indices) {
        int[] idx = indices.clone();
        return new Sampler() {
            @Override public int length(int n) { return idx.length; }
            @Override public int[] indices(int n, SplittableRandom rng) { return Samplers.checked(idx.clone(), n); }
            @Override public String toString() { return "SubsetSampler(" + idx.length + " indices)"; }
        };
    }

    /** These dataset indices in a fresh random order every epoch (PyTorch's {@code SubsetRandomSampler}). */
    static Sampler subsetRandom(int... indices) {
        int[] idx = indices.clone();
        return new Sampler() {
            @Override public int length(int n) { return idx.length; }

            @Override
            public int[] indices(int n, SplittableRandom rng) {
                int[] out = Samplers.checked(idx.clone(), n);
                Samplers.shuffle(out, rng);
                return out;
            }

            @Override public String toString() { return "SubsetRandomSampler(" + idx.length + " indices)"; }
        };
    }

    /**
     * {@code numSamples} indices drawn with probability proportional to {@code weights[i]} (one weight per
     * dataset sample), with or without replacement (PyTorch's {@code WeightedRandomSampler}).
     *
     * @throws IllegalArgumentException for a negative or non-finite weight, all-zero weights, a
     *                                  non-positive {@code numSamples}, or, without replacement, more
     *                                  samples than non-zero weights
     */
    static Sampler weighted(double[] weights, int numSamples, boolean replacement) {
        return new Samplers.Weighted(weights, numSamples, replacement);
    }

    /**
     * Draws every class equally often: each of {@code numSamples} draws (with replacement) picks a class
     * uniformly among the classes present in {@code dataset}, then a sample of that class uniformly.
     * Equivalent to {@link #weighted} with weight {@code 1 / count(label)} per sample, but exact in
     * integer arithmetic. Classes with no samples are never drawn.
     */
    static Sampler classBalanced(Dataset dataset, int numSamples) {
        return new Samplers.ClassBalanced(dataset, numSamples);
    }

    /** {@link #classBalanced(Dataset, int)} drawing as many samples per epoch as the dataset holds. */
    static Sampler classBalanced(Dataset dataset) {
        return new Samplers.ClassBalanced(dataset, dataset.size());
    }
}

/** Implementations behind {@link Sampler}'s factories. */
final class Samplers {
    private Samplers() {}

    static final Sampler SEQUENTIAL = new Sampler() {
        @Override public int length(int n) { return n; }

        @Override
        public int[] indices(int n, SplittableRandom rng) {
            int[] idx = new int[n];
            for (int i = 0; i < n; i++) idx[i] = i;
            return idx;
        }

        @Override public String toString() { return "SequentialSampler"; }
    };

    static final Sampler RANDOM = new Sampler() {
        @Override public int length(int n) { return n; }

        @Override
        public int[] indices(int n, SplittableRandom rng) {
            int[] idx = SEQUENTIAL.indices(n, rng);
            shuffle(idx, rng);
            return idx;
        }

        @Override public String toString() { return "RandomSampler"; }
    };

    /** Fisher-Yates from the end, as {@link DataLoader} has always shuffled. */
    static void shuffle(int[] idx, SplittableRandom rng) {
        for (int i = idx.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = idx[i];
            idx[i] = idx[j];
            idx[j] = t;
        }
    }

    static void positive(String name, int value) {
        if (value < 1) throw new IllegalArgumentException(name + " must be >= 1. Received: " + value);
    }

    static int[] checked(int[] idx, int n) {
        for (int i = 0; i < idx.length; i++)
            if (idx[i] < 0 || idx[i] >= n)
                throw new IndexOutOfBoundsException("sampler index " + idx[i] + " (position " + i + ") is outside the dataset's [0, " + n + ")");
        return idx;
    }

    static final class Weighted implements Sampler {
        private final double[] cumulative;
        private final double[] weights;
        private final int numSamples;
        private final boolean replacement;

        Weighted(double[] weights, int numSamples, boolean replacement) {
            Objects.requireNonNull(weights, "weights");
            positive("numSamples", numSamples);
            this.weights = weights.clone();
            this.cumulative = new double[weights.length];
            double sum = 0;
            int nonZero = 0;
            for (int i = 0; i < weights.length; i++) {
                double w = weights[i];
                if (!(w >= 0) || !Double.isFinite(w))
                    throw new IllegalArgumentException("weights[" + i + "] must be finite and >= 0. Received: " + w);
                if (w > 0) nonZero++;
                sum += w;
                cumulative[i] = sum;
            }
            if (sum == 0) throw new IllegalArgumentException("weights must not all be zero (" + weights.length + " weights)");
            if (!replacement && numSamples > nonZero)
                throw new IllegalArgumentException("numSamples " + numSamples + " exceeds the " + nonZero
                        + " samples with a non-zero weight; drawing without replacement needs numSamples <= " + nonZero);
            this.numSamples = numSamples;
            this.replacement = replacement;
        }

        @Override public int length(int n) { return numSamples; }

        @Override
        public int[] indices(int n, SplittableRandom rng) {
            if (n != weights.length)
                throw new IllegalStateException("the sampler has " + weights.length + " weights but the dataset " + n + " samples");
            int[] out = new int[numSamples];
            if (replacement) {
                double total = cumulative[cumulative.length - 1];
                for (int i = 0; i < numSamples; i++) out[i] = search(cumulative, rng.nextDouble() * total);
                return out;
            }
            // Without replacement: Efraimidis-Spirakis keys u^(1/w), the numSamples largest win, in key order.
            Integer[] order = new Integer[n];
            double[] keys = new double[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
                double u = rng.nextDouble();
                keys[i] = weights[i] > 0 ? Math.log(u == 0 ? Double.MIN_VALUE : u) / weights[i] : Double.NEGATIVE_INFINITY;
            }
            Arrays.sort(order, (a, b) -> Double.compare(keys[b], keys[a]));
            for (int i = 0; i < numSamples; i++) out[i] = order[i];
            return out;
        }

        /** The first index whose cumulative weight exceeds {@code x} (skips zero-weight samples). */
        private static int search(double[] cum, double x) {
            int lo = 0, hi = cum.length - 1;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (cum[mid] > x) hi = mid;
                else lo = mid + 1;
            }
            return lo;
        }

        @Override
        public String toString() {
            return "WeightedRandomSampler(" + numSamples + (replacement ? ", replacement" : "") + ")";
        }
    }

    static final class ClassBalanced implements Sampler {
        private final int[][] byClass; // dataset indices of each class present
        private final int size;
        private final int numSamples;

        ClassBalanced(Dataset dataset, int numSamples) {
            Objects.requireNonNull(dataset, "dataset");
            positive("numSamples", numSamples);
            int n = dataset.size(), classes = dataset.numClasses();
            int[] counts = new int[classes];
            int[] labels = new int[n];
            for (int i = 0; i < n; i++) counts[labels[i] = dataset.label(i)]++;
            int present = 0;
            for (int c : counts) if (c > 0) present++;
            if (present == 0) throw new IllegalArgumentException("class-balanced sampling needs a non-empty dataset");
            byClass = new int[present][];
            int[] slot = new int[classes];
            for (int c = 0, k = 0; c < classes; c++) {
                slot[c] = counts[c] > 0 ? k : -1;
                if (counts[c] > 0) byClass[k++] = new int[counts[c]];
            }
            int[] fill = new int[present];
            for (int i = 0; i < n; i++) {
                int k = slot[labels[i]];
                byClass[k][fill[k]++] = i;
            }
            this.size = n;
            this.numSamples = numSamples;
        }

        @Override public int length(int n) { return numSamples; }

        @Override
        public int[] indices(int n, SplittableRandom rng) {
            if (n != size)
                throw new IllegalStateException("the class-balanced sampler was built for " + size + " samples, the dataset has " + n);
            int[] out = new int[numSamples];
            for (int i = 0; i < numSamples; i++) {
                int[] members = byClass[rng.nextInt(byClass.length)];
                out[i] = members[rng.nextInt(members.length)];
            }
            return out;
        }

        @Override
        public String toString() {
            return "ClassBalancedSampler(" + byClass.length + " classes, " + numSamples + " per epoch)";
        }
    }
}
