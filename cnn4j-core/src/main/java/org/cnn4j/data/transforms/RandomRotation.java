package org.cnn4j.data.transforms;

import java.util.SplittableRandom;

/**
 * torchvision's {@code RandomRotation(degrees, interpolation, expand=False, center=None, fill)}: rotates
 * about the image centre by an angle uniform in {@code [minDegrees, maxDegrees]}, counter-clockwise for
 * positive angles, keeping the size. Defaults as torchvision: nearest interpolation, constant fill 0;
 * {@link FillMode} adds Keras' nearest/reflect/wrap borders.
 */
public final class RandomRotation implements Transform {
    private final double minDegrees, maxDegrees;
    private final Interpolation interpolation;
    private final FillMode fillMode;
    private final float fill;

    /** Uniform in {@code [-degrees, degrees]}, nearest, fill 0. */
    public RandomRotation(double degrees) {
        this(-Check.nonNegative("RandomRotation degrees", degrees), degrees, Interpolation.NEAREST, FillMode.CONSTANT, 0f);
    }

    public RandomRotation(double minDegrees, double maxDegrees, Interpolation interpolation, FillMode fillMode, float fill) {
        Check.range("RandomRotation degrees", minDegrees, maxDegrees);
        this.minDegrees = minDegrees;
        this.maxDegrees = maxDegrees;
        this.interpolation = Check.notNull("interpolation", interpolation);
        if (interpolation == Interpolation.BICUBIC)
            throw new IllegalArgumentException("RandomRotation interpolation must be nearest or bilinear. Received: bicubic");
        this.fillMode = Check.notNull("fill mode", fillMode);
        this.fill = fill;
    }

    @Override
    public Image apply(Image image, SplittableRandom rng) {
        double angle = Check.uniform(rng, minDegrees, maxDegrees);
        return Functional.rotate(image, angle, interpolation, fillMode, fill);
    }

    @Override
    public String toString() {
        return "RandomRotation([" + minDegrees + ", " + maxDegrees + "], " + interpolation + ", " + fillMode + ")";
    }
}
