package org.cnn4j.data.transforms;

import java.util.SplittableRandom;

/**
 * torchvision's {@code RandomAffine(degrees, translate, scale, shear, interpolation, fill)}, parameters drawn
 * as its {@code get_params}: angle U(degrees); translation round(U(-fx W, fx W)), round(U(-fy H, fy H))
 * whole pixels; scale U(scale); shear x U(shear[0..1]) and, when given, shear y U(shear[2..3]) degrees.
 * The warp is {@link Functional#affine} (torchvision's inverse matrix about the image centre). Defaults as
 * torchvision: nearest interpolation, constant fill 0. {@link FillMode} adds Keras' border modes.
 *
 * <pre>{@code
 * Transform t = RandomAffine.builder().degrees(10).translate(0.1, 0.1).scale(0.9, 1.1).shear(-5, 5)
 *         .interpolation(Interpolation.BILINEAR).fillMode(FillMode.REFLECT).build();
 * }</pre>
 */
public final class RandomAffine implements Transform {
    private final double degMin, degMax, translateX, translateY, scaleMin, scaleMax;
    private final double[] shear; // null, {xmin, xmax} or {xmin, xmax, ymin, ymax}
    private final Interpolation interpolation;
    private final FillMode fillMode;
    private final float fill;

    private RandomAffine(Builder b) {
        degMin = b.degMin;
        degMax = b.degMax;
        translateX = b.translateX;
        translateY = b.translateY;
        scaleMin = b.scaleMin;
        scaleMax = b.scaleMax;
        shear = b.shear;
        interpolation = b.interpolation;
        fillMode = b.fillMode;
        fill = b.fill;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Settings; everything off by default (the identity). */
    public static final class Builder {
        private double degMin, degMax, translateX, translateY, scaleMin = 1, scaleMax = 1;
        private double[] shear;
        private Interpolation interpolation = Interpolation.NEAREST;
        private FillMode fillMode = FillMode.CONSTANT;
        private float fill;

        private Builder() {}

        /** Angle uniform in {@code [-d, d]} degrees. */
        public Builder degrees(double d) {
            Check.nonNegative("RandomAffine degrees", d);
            return degrees(-d, d);
        }

        public Builder degrees(double min, double max) {
            Check.range("RandomAffine degrees", min, max);
            degMin = min;
            degMax = max;
            return this;
        }

        /** Maximum translation as fractions of the width and height, each in [0, 1]. */
        public Builder translate(double fx, double fy) {
            Check.probability("RandomAffine translate x", fx);
            Check.probability("RandomAffine translate y", fy);
            translateX = fx;
            translateY = fy;
            return this;
        }

        public Builder scale(double min, double max) {
            Check.range("RandomAffine scale", min, max);
            Check.positive("RandomAffine scale min", min);
            scaleMin = min;
            scaleMax = max;
            return this;
        }

        /** Shear parallel to the x axis, uniform in {@code [min, max]} degrees. */
        public Builder shear(double min, double max) {
            Check.range("RandomAffine shear", min, max);
            shear = new double[] {min, max};
            return this;
        }

        /** Shears parallel to both axes: x uniform in {@code [xMin, xMax]}, y in {@code [yMin, yMax]} degrees. */
        public Builder shear(double xMin, double xMax, double yMin, double yMax) {
            Check.range("RandomAffine shear x", xMin, xMax);
            Check.range("RandomAffine shear y", yMin, yMax);
            shear = new double[] {xMin, xMax, yMin, yMax};
            return this;
        }

        public Builder interpolation(Interpolation i) {
            if (Check.notNull("interpolation", i) == Interpolation.BICUBIC)
                throw new IllegalArgumentException("RandomAffine interpolation must be nearest or bilinear. Received: bicubic");
            interpolation = i;
            return this;
        }

        public Builder fillMode(FillMode m) {
            fillMode = Check.notNull("fill mode", m);
            return this;
        }

        /** The value of CONSTANT fill (torchvision's fill, Keras' cval). */
        public Builder fill(float v) {
            fill = v;
            return this;
        }

        public RandomAffine build() {
            return new RandomAffine(this);
        }
    }

    /** The drawn parameters {@code {angle, tx, ty, scale, shearX, shearY}} for an {@code h x w} image. */
    public double[] parameters(int h, int w, SplittableRandom rng) {
        double angle = Check.uniform(rng, degMin, degMax);
        double tx = 0, ty = 0;
        if (translateX > 0 || translateY > 0) {
            double mx = translateX * w, my = translateY * h;
            tx = Math.rint(Check.uniform(rng, -mx, mx));
            ty = Math.rint(Check.uniform(rng, -my, my));
        }
        double scale = Check.uniform(rng, scaleMin, scaleMax);
        double sx = 0, sy = 0;
        if (shear != null) {
            sx = Check.uniform(rng, shear[0], shear[1]);
            if (shear.length == 4) sy = Check.uniform(rng, shear[2], shear[3]);
        }
        return new double[] {angle, tx, ty, scale, sx, sy};
    }

    @Override
    public Image apply(Image image, SplittableRandom rng) {
        double[] p = parameters(image.height(), image.width(), rng);
        return Functional.affine(image, p[0], p[1], p[2], p[3], p[4], p[5], interpolation, fillMode, fill);
    }

    @Override
    public String toString() {
        return "RandomAffine(degrees=[" + degMin + ", " + degMax + "], translate=(" + translateX + ", " + translateY + "), scale=["
                + scaleMin + ", " + scaleMax + "], shear=" + java.util.Arrays.toString(shear) + ", " + interpolation + ", " + fillMode + ")";
    }
}
