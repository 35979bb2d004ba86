package org.cnn4j.data.transforms;

import java.util.SplittableRandom;

/**
 * Resizes as torchvision's {@code Resize} does on float tensors (0.14, no antialiasing): to an exact
 * {@code height x width}, or with {@link #shorterEdge} so that the shorter edge becomes {@code size} and
 * the aspect ratio is kept. See {@link Functional#resize} for the sampling of each {@link Interpolation}.
 */
public final class Resize implements Transform {
    private final int height, width, shorterEdge;
    private final Interpolation interpolation;

    /** Exactly {@code height x width}, bilinear (torchvision's default). */
    public Resize(int height, int width) {
        this(height, width, Interpolation.BILINEAR);
    }

    public Resize(int height, int width, Interpolation interpolation) {
        this.height = Check.positive("Resize height", height);
        this.width = Check.positive("Resize width", width);
        this.shorterEdge = 0;
        this.interpolation = Check.notNull("interpolation", interpolation);
    }

    private Resize(int size, Interpolation interpolation) {
        this.shorterEdge = Check.positive("Resize size", size);
        this.height = this.width = 0;
        this.interpolation = Check.notNull("interpolation", interpolation);
    }

    /** torchvision's {@code Resize(size)} with an int: the shorter edge becomes {@code size}. */
    public static Resize shorterEdge(int size, Interpolation interpolation) {
        return new Resize(size, interpolation);
    }

    @Override
    public Image apply(Image image, SplittableRandom rng) {
        if (shorterEdge > 0) {
            int[] hw = Functional.shorterEdgeSize(image.height(), image.width(), shorterEdge);
            return Functional.resize(image, hw[0], hw[1], interpolation);
        }
        return Functional.resize(image, height, width, interpolation);
    }

    @Override
    public String toString() {
        return shorterEdge > 0 ? "Resize(" + shorterEdge + ", " + interpolation + ")"
                : "Resize(" + height + "x" + width + ", " + interpolation + ")";
    }
}
