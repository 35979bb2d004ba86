package org.cnn4j.data;

import org.cnn4j.tensor.Shape;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** In-memory dataset over a {@code float[]} holding N samples back to back, and their N labels. */
public final class ArrayDataset implements Dataset {
    private final float[] samples;
    private final int[] sampleShape;
    private final int sampleSize;
    private final int[] labels;
    private final List<String> classNames;

    /**
     * Wraps (does not copy) {@code samples} ({@code labels.length * Shape.size(sampleShape)} floats) and
     * {@code labels}, each in {@code [0, classNames.size())}.
     */
    public ArrayDataset(float[] samples, int[] sampleShape, int[] labels, List<String> classNames) {
        Objects.requireNonNull(samples, "samples");
        Objects.requireNonNull(labels, "labels");
        this.sampleShape = sampleShape.clone();
        this.sampleSize = Shape.size(sampleShape);
        this.classNames = List.copyOf(classNames);
        if ((long) labels.length * sampleSize != samples.length)
            throw new IllegalArgumentException(labels.length + " labels of samples shaped " + Shape.str(sampleShape)
                    + " need " + (long) labels.length * sampleSize + " floats, got " + samples.length);
        if (this.classNames.isEmpty()) throw new IllegalArgumentException("a dataset needs at least one class");
        for (int i = 0; i < labels.length; i++)
            if (labels[i] < 0 || labels[i] >= this.classNames.size())
                throw new IllegalArgumentException("label " + labels[i] + " of sample " + i + " is outside [0, "
                        + this.classNames.size() + ")");
        this.samples = samples;
        this.labels = labels;
    }

    /** Same, with classes named "0", "1", ... */
    public static ArrayDataset of(float[] samples, int[] sampleShape, int[] labels, int numClasses) {
        List<String> names = new ArrayList<>(numClasses);
        for (int i = 0; i < numClasses; i++) names.add(Integer.toString(i));
        return new ArrayDataset(samples, sampleShape, labels, names);
    }

    @Override public int size() { return labels.length; }
    @Override public int[] sampleShape() { return sampleShape.clone(); }
    @Override public int sampleSize() { return sampleSize; }
    @Override public int numClasses() { return classNames.size(); }
    @Override public List<String> classNames() { return classNames; }

    @Override
    public int label(int index) {
        Objects.checkIndex(index, labels.length);
        return labels[index];
    }

    @Override
    public int copySample(int index, float[] dst, int dstOffset) {
        Objects.checkIndex(index, labels.length);
        System.arraycopy(samples, index * sampleSize, dst, dstOffset, sampleSize);
        return labels[index];
    }

    @Override
    public String toString() {
        return "ArrayDataset(" + labels.length + " x " + Shape.str(sampleShape) + ", " + classNames.size() + " classes)";
    }
}
