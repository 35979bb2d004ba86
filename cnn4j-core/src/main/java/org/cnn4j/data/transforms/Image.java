package org.cnn4j.data.transforms;

import java.util.Arrays;

/**
 * One image as the transforms see it: {@code channels x height x width} floats, channel-major (CHW, the
 * layout of a {@link org.cnn4j.data.Dataset} sample). Values are whatever the dataset produces (0..1 for
 * the built-in image datasets); transforms that need a range (colour jitter, equalization) document it.
 *
 * <p>A transform may change {@code data} in place and return the same image, or return a new one of a
 * different size (resize, crop); it never keeps a reference to its input.
 */
public record Image(int channels, int height, int width, float[] data) {
    public Image {
        if (channels < 1 || height < 1 || width < 1)
            throw new IllegalArgumentException("image " + channels + "x" + height + "x" + width + ": every dimension must be >= 1");
        if (data.length != (long) channels * height * width)
            throw new IllegalArgumentException("image " + channels + "x" + height + "x" + width + " needs "
                    + (long) channels * height * width + " floats, got " + data.length);
    }

    /** A zero-filled image. */
    public static Image zeros(int channels, int height, int width) {
        return new Image(channels, height, width, new float[channels * height * width]);
    }

    /** Index of pixel {@code (c, y, x)} in {@link #data}. */
    public int index(int c, int y, int x) {
        return (c * height + y) * width + x;
    }

    public float get(int c, int y, int x) {
        return data[index(c, y, x)];
    }

    public void set(int c, int y, int x, float v) {
        data[index(c, y, x)] = v;
    }

    /** Shape as a dataset reports it: {@code {channels, height, width}}. */
    public int[] shape() {
        return new int[]{channels, height, width};
    }

    /** A deep copy. */
    public Image copy() {
        return new Image(channels, height, width, data.clone());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Image i && i.channels == channels && i.height == height && i.width == width
                && Arrays.equals(i.data, data);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * channels + height) + width) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "Image[" + channels + "x" + height + "x" + width + "]";
    }
}
