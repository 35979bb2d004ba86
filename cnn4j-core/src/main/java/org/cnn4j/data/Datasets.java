package org.cnn4j.data;

import org.cnn4j.data.transforms.Image;
import org.cnn4j.data.transforms.Transform;
import org.cnn4j.tensor.Shape;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Datasets built from other datasets: subsets by index list, concatenation, seeded random and stratified
 * splits, and per-sample transforms (PyTorch's {@code Subset}, {@code ConcatDataset}, {@code random_split}).
 * All are views: no sample is copied until it is read.
 */
public final class Datasets {
    private Datasets() {}

    /** The samples {@code indices} of {@code base}, in this order (duplicates allowed). */
    public static Dataset subset(Dataset base, int... indices) {
        return new IndexSubset(base, indices);
    }

    /**
     * The samples of {@code base} whose label is one of {@code classes}, relabelled {@code 0 .. k-1} in the
     * order given, at most {@code perClass} of each (the first ones in index order); the class names follow.
     * What transfer learning needs: {@code ofClasses(fashion, 100, 5, 6, 7, 8, 9)} is a 5-class task of 100
     * images per class.
     */
    public static Dataset ofClasses(Dataset base, int perClass, int... classes) {
        Objects.requireNonNull(base, "base");
        if (perClass < 1) throw new IllegalArgumentException("ofClasses: perClass must be >= 1. Received: " + perClass);
        if (classes.length == 0) throw new IllegalArgumentException("ofClasses: give at least one class");
        int[] newLabel = new int[base.numClasses()];
        Arrays.fill(newLabel, -1);
        for (int k = 0; k < classes.length; k++) {
            int c = classes[k];
            if (c < 0 || c >= base.numClasses())
                throw new IllegalArgumentException("ofClasses: class " + c + " is not in [0, " + base.numClasses() + ") of " + base);
            if (newLabel[c] >= 0) throw new IllegalArgumentException("ofClasses: class " + c + " is listed twice");
            newLabel[c] = k;
        }
        int[] counts = new int[classes.length];
        int[] picked = new int[base.size()];
        int n = 0;
        for (int i = 0; i < base.size(); i++) {
            int k = newLabel[base.label(i)];
            if (k >= 0 && counts[k] < perClass) {
                counts[k]++;
                picked[n++] = i;
            }
        }
        List<String> names = new ArrayList<>();
        for (int c : classes) names.add(base.classNames().get(c));
        return new Relabelled(new IndexSubset(base, Arrays.copyOf(picked, n)), newLabel, List.copyOf(names));
    }

    /** The view of {@link #ofClasses}: an index subset whose labels go through a map. */
    static final class Relabelled implements Dataset {
        private final Dataset base;
        private final int[] newLabel;
        private final List<String> names;

        Relabelled(Dataset base, int[] newLabel, List<String> names) {
            this.base = base;
            this.newLabel = newLabel;
            this.names = names;
        }

        @Override public int size() { return base.size(); }
        @Override public int[] sampleShape() { return base.sampleShape(); }
        @Override public int sampleSize() { return base.sampleSize(); }
        @Override public int numClasses() { return names.size(); }
        @Override public List<String> classNames() { return names; }
        @Override public int label(int index) { return newLabel[base.label(index)]; }
        @Override public int copySample(int index, float[] dst, int dstOffset) { return newLabel[base.copySample(index, dst, dstOffset)]; }

        @Override
        public String toString() {
            return base + " classes " + names;
        }
    }

    /**
     * The samples of all {@code parts} one after the other. All parts must have the same sample shape and
     * the same class names.
     */
    public static Dataset concat(Dataset... parts) {
        return new Concat(List.of(parts));
    }

    /** {@link #concat(Dataset...)} of a list. */
    public static Dataset concat(List<? extends Dataset> parts) {
        return new Concat(List.copyOf(parts));
    }

    /**
     * Splits {@code ds} at random into parts of the given fractions, which must be positive and sum to 1
     * (within 1e-6). As PyTorch's {@code random_split}: each part gets {@code floor(n * fraction)} samples
     * and the remainder goes one each to the first parts. The permutation comes from
     * {@code new SplittableRandom(seed)}, so the same seed gives the same split.
     */
    public static List<Dataset> randomSplit(Dataset ds, long seed, double... fractions) {
        if (fractions.length == 0) throw new IllegalArgumentException("randomSplit needs at least one fraction");
        double sum = 0;
        for (double f : fractions) {
            if (!(f >= 0) || f > 1) throw new IllegalArgumentException("fractions must be in [0, 1]. Received: " + Arrays.toString(fractions));
            sum += f;
        }
        if (Math.abs(sum - 1) > 1e-6)
            throw new IllegalArgumentException("fractions must sum to 1. Received: " + Arrays.toString(fractions) + " (sum " + sum + ")");
        int n = ds.size();
        int[] counts = new int[fractions.length];
        int given = 0;
        for (int i = 0; i < fractions.length; i++) given += counts[i] = (int) Math.floor(n * fractions[i]);
        for (int i = 0; given < n; i = (i + 1) % counts.length, given++) counts[i]++;
        return randomSplit(ds, seed, counts);
    }

    /** Splits {@code ds} at random into parts of exactly {@code counts} samples, which must sum to its size. */
    public static List<Dataset> randomSplit(Dataset ds, long seed, int... counts) {
        long total = 0;
        for (int c : counts) {
            if (c < 0) throw new IllegalArgumentException("counts must be >= 0. Received: " + Arrays.toString(counts));
            total += c;
        }
        if (total != ds.size())
            throw new IllegalArgumentException("counts " + Arrays.toString(counts) + " sum to " + total + " but the dataset has "
                    + ds.size() + " samples");
        int[] perm = permutation(ds.size(), seed);
        List<Dataset> parts = new ArrayList<>(counts.length);
        int from = 0;
        for (int c : counts) {
            parts.add(new IndexSubset(ds, Arrays.copyOfRange(perm, from, from + c)));
            from += c;
        }
        return parts;
    }

    /**
     * Holds out {@code fraction} of every class: returns {@code [rest, heldOut]}, where the held-out part
     * has {@code round(fraction * count(c))} samples of each class {@code c}, drawn with a generator seeded
     * by {@code seed}. Both parts keep dataset order. Used for {@code --val-split}.
     */
    public static List<Dataset> stratifiedSplit(Dataset ds, double fraction, long seed) {
        if (!(fraction > 0 && fraction < 1))
            throw new IllegalArgumentException("the held-out fraction must be in (0, 1). Received: " + fraction);
        int n = ds.size(), k = ds.numClasses();
        int[] labels = new int[n], counts = new int[k];
        for (int i = 0; i < n; i++) counts[labels[i] = ds.label(i)]++;
        int[][] members = new int[k][];
        for (int c = 0; c < k; c++) members[c] = new int[counts[c]];
        int[] fill = new int[k];
        for (int i = 0; i < n; i++) members[labels[i]][fill[labels[i]]++] = i;
        boolean[] held = new boolean[n];
        SplittableRandom rng = new SplittableRandom(seed);
        int heldCount = 0;
        for (int c = 0; c < k; c++) {
            int[] m = members[c];
            Samplers.shuffle(m, rng);
            int take = (int) Math.round(fraction * m.length);
            for (int j = 0; j < take; j++) held[m[j]] = true;
            heldCount += take;
        }
        int[] rest = new int[n - heldCount], out = new int[heldCount];
        for (int i = 0, r = 0, h = 0; i < n; i++) {
            if (held[i]) out[h++] = i;
            else rest[r++] = i;
        }
        return List.of(new IndexSubset(ds, rest), new IndexSubset(ds, out));
    }

    /**
     * {@code base} with {@code transform} applied to every sample it returns. The generator of sample
     * {@code i} is seeded from {@code (seed, epoch, i)}; {@link TransformedDataset#setEpoch} changes the
     * epoch (for random augmentation; deterministic transforms need none of this). The sample shape is that
     * of the transformed sample 0, and every sample must come out that shape.
     */
    public static TransformedDataset transformed(Dataset base, Transform transform, long seed) {
        return new TransformedDataset(base, transform, seed);
    }

    static int[] permutation(int n, long seed) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        Samplers.shuffle(p, new SplittableRandom(seed));
        return p;
    }

    /** The view of {@link #subset}; a subset of an index subset points at the original. */
    static final class IndexSubset implements Dataset {
        private final Dataset base;
        private final int[] indices;

        IndexSubset(Dataset base, int[] indices) {
            Objects.requireNonNull(base, "base");
            int[] idx = indices.clone();
            Samplers.checked(idx, base.size());
            if (base instanceof IndexSubset s) {
                for (int i = 0; i < idx.length; i++) idx[i] = s.indices[idx[i]];
                base = s.base;
            }
            this.base = base;
            this.indices = idx;
        }

        private int map(int index) {
            return indices[Objects.checkIndex(index, indices.length)];
        }

        /** The index in the underlying dataset of sample {@code index}. */
        int baseIndex(int index) {
            return map(index);
        }

        @Override public int size() { return indices.length; }
        @Override public int[] sampleShape() { return base.sampleShape(); }
        @Override public int sampleSize() { return base.sampleSize(); }
        @Override public int numClasses() { return base.numClasses(); }
        @Override public List<String> classNames() { return base.classNames(); }
        @Override public int copySample(int index, float[] dst, int dstOffset) { return base.copySample(map(index), dst, dstOffset); }
        @Override public int label(int index) { return base.label(map(index)); }

        @Override
        public String toString() {
            return base + " (subset of " + indices.length + ")";
        }
    }

    static final class Concat implements Dataset {
        private final List<Dataset> parts;
        private final long[] starts; // starts[i] = first global index of parts[i]; starts[parts] = size
        private final int size;

        Concat(List<Dataset> parts) {
            if (parts.isEmpty()) throw new IllegalArgumentException("concat needs at least one dataset");
            Dataset first = parts.getFirst();
            starts = new long[parts.size() + 1];
            for (int i = 0; i < parts.size(); i++) {
                Dataset p = Objects.requireNonNull(parts.get(i), "part " + i);
                if (!Arrays.equals(p.sampleShape(), first.sampleShape()))
                    throw new IllegalArgumentException("cannot concatenate " + first + " (samples " + Shape.str(first.sampleShape())
                            + ") and part " + i + ", " + p + " (samples " + Shape.str(p.sampleShape()) + "): sample shapes differ");
                if (!p.classNames().equals(first.classNames()))
                    throw new IllegalArgumentException("cannot concatenate " + first + " (classes " + first.classNames() + ") and part "
                            + i + ", " + p + " (classes " + p.classNames() + "): class names differ");
                starts[i + 1] = starts[i] + p.size();
            }
            if (starts[parts.size()] > Integer.MAX_VALUE)
                throw new IllegalArgumentException("the concatenation would hold " + starts[parts.size()] + " samples, more than 2^31-1");
            this.parts = parts;
            this.size = (int) starts[parts.size()];
        }

        private int part(int index) {
            Objects.checkIndex(index, size);
            int p = Arrays.binarySearch(starts, index);
            if (p < 0) return -p - 2;
            while (p + 1 < parts.size() && starts[p + 1] == index) p++; // skip empty parts
            return p;
        }

        @Override public int size() { return size; }
        @Override public int[] sampleShape() { return parts.getFirst().sampleShape(); }
        @Override public int sampleSize() { return parts.getFirst().sampleSize(); }
        @Override public int numClasses() { return parts.getFirst().numClasses(); }
        @Override public List<String> classNames() { return parts.getFirst().classNames(); }

        @Override
        public int copySample(int index, float[] dst, int dstOffset) {
            int p = part(index);
            return parts.get(p).copySample((int) (index - starts[p]), dst, dstOffset);
        }

        @Override
        public int label(int index) {
            int p = part(index);
            return parts.get(p).label((int) (index - starts[p]));
        }

        @Override
        public String toString() {
            return "Concat" + parts;
        }
    }

    /** The view of {@link #transformed}. */
    public static final class TransformedDataset implements Dataset {
        private final Dataset base;
        private final Transform transform;
        private final long seed;
        private final int[] inShape;
        private final int[] outShape;
        private volatile int epoch;

        TransformedDataset(Dataset base, Transform transform, long seed) {
            this.base = Objects.requireNonNull(base, "base");
            this.transform = Objects.requireNonNull(transform, "transform");
            this.seed = seed;
            int[] s = base.sampleShape();
            this.inShape = switch (s.length) {
                case 3 -> s;
                case 2 -> new int[]{1, s[0], s[1]};
                case 1 -> new int[]{1, 1, s[0]};
                default -> throw new IllegalArgumentException("a transform needs samples shaped C x H x W, H x W or N; "
                        + base + " has " + Shape.str(s));
            };
            if (base.size() == 0) outShape = s;
            else {
                Image first = apply(0, new float[base.sampleSize()], new int[1]);
                outShape = Arrays.equals(first.shape(), inShape) ? s : first.shape();
            }
        }

        /** Sets the epoch mixed into every sample's generator seed. */
        public void setEpoch(int epoch) {
            if (epoch < 0) throw new IllegalArgumentException("epoch must be >= 0. Received: " + epoch);
            this.epoch = epoch;
        }

        private Image apply(int index, float[] buf, int[] label) {
            label[0] = base.copySample(index, buf, 0);
            Image in = new Image(inShape[0], inShape[1], inShape[2], buf);
            Image out = transform.apply(in, new SplittableRandom(DataLoader.sampleSeed(seed, epoch, index)));
            if (out == null) throw new IllegalStateException("the transform " + transform + " returned null for sample " + index);
            return out;
        }

        @Override public int size() { return base.size(); }
        @Override public int[] sampleShape() { return outShape.clone(); }
        @Override public int numClasses() { return base.numClasses(); }
        @Override public List<String> classNames() { return base.classNames(); }
        @Override public int label(int index) { return base.label(index); }

        @Override
        public int copySample(int index, float[] dst, int dstOffset) {
            int[] label = new int[1];
            Image out = apply(index, new float[base.sampleSize()], label);
            int size = Shape.size(outShape);
            if (out.data().length != size)
                throw new IllegalStateException("the transform made a " + out.channels() + "x" + out.height() + "x" + out.width()
                        + " image of sample " + index + " but " + Shape.str(outShape) + " of sample 0; a dataset needs one sample shape");
            System.arraycopy(out.data(), 0, dst, dstOffset, size);
            return label[0];
        }

        @Override
        public String toString() {
            return base + " (transformed)";
        }
    }
}
