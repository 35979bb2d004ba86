package org.cnn4j.models;

/**
 * What a zoo model is built for: input channels, input height and width, and the number of classes.
 * Models whose classifier size depends on the input size compute it from here; a model that cannot take
 * the size throws an {@link IllegalArgumentException} that names the layer and the arithmetic.
 *
 * <pre>{@code
 * Module net = Zoo.create("vgg16", new ModelSpec(3, 64, 64, 10));
 * }</pre>
 */
public record ModelSpec(int inChannels, int height, int width, int numClasses) {
    public ModelSpec {
        if (inChannels <= 0) throw new IllegalArgumentException("in_channels must be positive. Received: " + inChannels);
        if (height <= 0 || width <= 0)
            throw new IllegalArgumentException("input size must be positive. Received: " + height + "x" + width);
        if (numClasses <= 0) throw new IllegalArgumentException("num_classes must be positive. Received: " + numClasses);
    }

    /** The sample shape (C, H, W), as {@code Summary.of} and {@code Input.of} take it. */
    public int[] inputShape() {
        return new int[] {inChannels, height, width};
    }

    public ModelSpec withNumClasses(int n) {
        return new ModelSpec(inChannels, height, width, n);
    }

    public ModelSpec withInChannels(int c) {
        return new ModelSpec(c, height, width, numClasses);
    }

    public ModelSpec withSize(int h, int w) {
        return new ModelSpec(inChannels, h, w, numClasses);
    }

    @Override
    public String toString() {
        return inChannels + "x" + height + "x" + width + ", " + numClasses + " classes";
    }
}
