package org.cnn4j.data;

import org.cnn4j.tensor.Shape;

import java.util.List;

/**
 * A labelled, indexable dataset of fixed-shape float samples (like PyTorch's map-style
 * {@code Dataset} with a transform to tensors already applied). Implementations must allow concurrent
 * {@link #copySample} calls from several threads.
 */
public interface Dataset {
    /** Number of samples. */
    int size();

    /** Shape of one sample, without the batch dimension, e.g. {@code {1, 28, 28}}. A fresh copy. */
    int[] sampleShape();

    /** Number of classes; labels are in {@code [0, numClasses())}. */
    int numClasses();

    /** Names of the classes, indexed by label (for Fashion-MNIST the 10 names of SEEDS.md). */
    List<String> classNames();

    /**
     * Copies sample {@code index} ({@code Shape.size(sampleShape())} floats) into {@code dst} starting at
     * {@code dstOffset} and returns its label.
     *
     * @throws IndexOutOfBoundsException if {@code index} is not in {@code [0, size())}
     */
    int copySample(int index, float[] dst, int dstOffset);

    /** Floats per sample: {@code Shape.size(sampleShape())}. */
    default int sampleSize() {
        return Shape.size(sampleShape());
    }

    /** The label of sample {@code index}; the default copies the sample, implementations do better. */
    default int label(int index) {
        return copySample(index, new float[sampleSize()], 0);
    }

    /** A view of the samples {@code [from, to)}, re-indexed from 0 (what {@code --limit N} uses). */
    default Dataset subset(int from, int to) {
        return new Subset(this, from, to);
    }

    /** The view returned by {@link Dataset#subset}; a subset of a subset points at the original. */
    final class Subset implements Dataset {
        private final Dataset base;
        private final int from;
        private final int size;

        Subset(Dataset base, int from, int to) {
            if (from < 0 || to < from || to > base.size())
                throw new IndexOutOfBoundsException("subset [" + from + ", " + to + ") of a dataset of " + base.size() + " samples");
            if (base instanceof Subset s) {
                this.base = s.base;
                this.from = s.from + from;
            } else {
                this.base = base;
                this.from = from;
            }
            this.size = to - from;
        }

        private int map(int index) {
            if (index < 0 || index >= size)
                throw new IndexOutOfBoundsException("sample " + index + " of a subset of " + size + " samples");
            return from + index;
        }

        @Override public int size() { return size; }
        @Override public int[] sampleShape() { return base.sampleShape(); }
        @Override public int numClasses() { return base.numClasses(); }
        @Override public List<String> classNames() { return base.classNames(); }
        @Override public int sampleSize() { return base.sampleSize(); }
        @Override public int copySample(int index, float[] dst, int dstOffset) { return base.copySample(map(index), dst, dstOffset); }
        @Override public int label(int index) { return base.label(map(index)); }

        @Override
        public String toString() {
            return base + "[" + from + ", " + (from + size) + ")";
        }
    }
}
