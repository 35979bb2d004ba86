package org.cnn4j.data;

import org.cnn4j.tensor.Shape;

import java.util.List;
import java.util.Objects;

/**
 * In-memory dataset of 8-bit samples (e.g. images), kept compactly as bytes and converted on
 * {@link #copySample} to floats in [0, 1] as {@code value / 255f}, exactly like torchvision's
 * {@code ToTensor}.
 */
public final class ByteImageDataset implements Dataset {
    private static final float[] SCALE = new float[256];

    static {
        for (int i = 0; i < 256; i++) SCALE[i] = i / 255f;
    }

    private final String name;
    private final byte[] pixels;
    private final int[] sampleShape;
    private final int sampleSize;
    private final int[] labels;
    private final List<String> classNames;

    /**
     * Wraps (does not copy) {@code pixels} ({@code labels.length * Shape.size(sampleShape)} unsigned bytes)
     * and {@code labels}, each in {@code [0, classNames.size())}; {@code name} is for messages only.
     */
    public ByteImageDataset(String name, byte[] pixels, int[] sampleShape, int[] labels, List<String> classNames) {
        this.name = Objects.requireNonNull(name, "name");
        this.sampleShape = sampleShape.clone();
        this.sampleSize = Shape.size(sampleShape);
        this.classNames = List.copyOf(classNames);
        if ((long) labels.length * sampleSize != pixels.length)
            throw new IllegalArgumentException(name + ": " + labels.length + " labels of samples shaped " + Shape.str(sampleShape)
                    + " need " + (long) labels.length * sampleSize + " bytes, got " + pixels.length);
        for (int i = 0; i < labels.length; i++)
            if (labels[i] < 0 || labels[i] >= this.classNames.size())
                throw new IllegalArgumentException(name + ": label " + labels[i] + " of sample " + i + " is outside [0, "
                        + this.classNames.size() + ")");
        this.pixels = pixels;
        this.labels = labels;
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
        Objects.checkFromIndexSize(dstOffset, sampleSize, dst.length);
        int src = index * sampleSize;
        for (int j = 0; j < sampleSize; j++) dst[dstOffset + j] = SCALE[pixels[src + j] & 0xFF];
        return labels[index];
    }

    /** The raw unsigned byte of element {@code j} of sample {@code index} (0..255), e.g. for drawing. */
    public int rawByte(int index, int j) {
        Objects.checkIndex(index, labels.length);
        Objects.checkIndex(j, sampleSize);
        return pixels[index * sampleSize + j] & 0xFF;
    }

    @Override
    public String toString() {
        return name + " (" + labels.length + " x " + Shape.str(sampleShape) + ", " + classNames.size() + " classes)";
    }
}
