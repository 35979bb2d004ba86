package org.cnn4j.data.transforms;

import java.util.SplittableRandom;

/**
 * The geometric part of Keras' {@code ImageDataGenerator.random_transform}: rotation
 * {@code U(-rotationRange, rotationRange)} degrees, width and height shifts (a fraction of the size when
 * below 1, pixels otherwise, continuous as in Keras), shear {@code U(-shearRange, shearRange)} degrees,
 * and independent zooms {@code zx, zy ~ U(zoomMin, zoomMax)} along x and y, combined as Keras combines
 * them (transform = rotation * shift * shear * zoom, mapping output to input coordinates about the image
 * centre; a zoom below 1 magnifies), bilinear (Keras' order 1), borders per {@link FillMode} (Keras'
 * default NEAREST).
 *
 * <p>Follows Keras' documented behaviour, with the x/y (column/row) order of TensorFlow 2's
 * {@code apply_affine_transform}: positive angles turn counter-clockwise, a positive shift moves the
 * content left/up. Differences: the centre is the true pixel centre ((W - 1) / 2, (H - 1) / 2), where
 * Keras offsets by W / 2 + 0.5 (half a pixel off), and CONSTANT borders blend as torchvision's.
 */
public final class KerasAffine implements Transform {
    private final double rotationRange, widthShift, heightShift, shearRange, zoomMin, zoomMax;
    private final Interpolation interpolation;
    private final FillMode fillMode;
    private final float cval;

    /**
     * @param rotationRange degrees, >= 0
     * @param widthShift    fraction of the width (< 1) or pixels (>= 1), >= 0
     * @param heightShift   fraction of the height (< 1) or pixels (>= 1), >= 0
     * @param shearRange    degrees, >= 0
     * @param zoomMin       lower zoom factor, > 0 (Keras' {@code zoom_range=z} is {@code [1 - z, 1 + z]})
     * @param zoomMax       upper zoom factor, >= zoomMin
     */
    public KerasAffine(double rotationRange, double widthShift, double heightShift, double shearRange, double zoomMin,
                       double zoomMax, Interpolation interpolation, FillMode fillMode, float cval) {
        this.rotationRange = Check.nonNegative("rotation_range", rotationRange);
        this.widthShift = Check.nonNegative("width_shift_range", widthShift);
        this.heightShift = Check.nonNegative("height_shift_range", heightShift);
        this.shearRange = Check.nonNegative("shear_range", shearRange);
        Check.range("zoom_range", zoomMin, zoomMax);
        Check.positive("zoom_range lower bound", zoomMin);
        this.zoomMin = zoomMin;
        this.zoomMax = zoomMax;
        this.interpolation = Check.notNull("interpolation", interpolation);
        if (interpolation == Interpolation.BICUBIC)
            throw new IllegalArgumentException("KerasAffine interpolation must be nearest or bilinear. Received: bicubic");
        this.fillMode = Check.notNull("fill_mode", fillMode);
        this.cval = cval;
    }

    /** Bilinear with Keras' default fill mode NEAREST. */
    public KerasAffine(double rotationRange, double widthShift, double heightShift, double shearRange, double zoomRange) {
        this(rotationRange, widthShift, heightShift, shearRange, 1 - zoomRange, 1 + zoomRange, Interpolation.BILINEAR,
                FillMode.NEAREST, 0f);
    }

    /** Whether every range is empty (the transform is the identity). */
    public boolean isIdentity() {
        return rotationRange == 0 && widthShift == 0 && heightShift == 0 && shearRange == 0 && zoomMin == 1 && zoomMax == 1;
    }

    /**
     * The warp matrix (see {@link Functional#warp}) for rotation {@code theta} and shear degrees, shifts
     * {@code dx, dy} pixels and zooms {@code zx, zy}, on an {@code h x w} image.
     */
    public static double[] matrix(int h, int w, double theta, double dx, double dy, double shear, double zx, double zy) {
        double t = Math.toRadians(theta), s = Math.toRadians(shear);
        double[][] m = {{Functional.snap(Math.cos(t)), Functional.snap(-Math.sin(t)), 0},
                {Functional.snap(Math.sin(t)), Functional.snap(Math.cos(t)), 0}, {0, 0, 1}};
        m = mul(m, new double[][] {{1, 0, dx}, {0, 1, dy}, {0, 0, 1}});
        m = mul(m, new double[][] {{1, Functional.snap(-Math.sin(s)), 0}, {0, Functional.snap(Math.cos(s)), 0}, {0, 0, 1}});
        m = mul(m, new double[][] {{zx, 0, 0}, {0, zy, 0}, {0, 0, 1}});
        return Functional.centred(new double[] {m[0][0], m[0][1], m[0][2], m[1][0], m[1][1], m[1][2]}, h, w, h, w);
    }

    private static double[][] mul(double[][] a, double[][] b) {
        double[][] c = new double[3][3];
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++)
                for (int k = 0; k < 3; k++) c[i][j] += a[i][k] * b[k][j];
        return c;
    }

    @Override
    public Image apply(Image image, SplittableRandom rng) {
        if (isIdentity()) return image;
        int h = image.height(), w = image.width();
        // Keras' order of draws: theta, height shift, width shift, shear, zoom (zx, zy)
        double theta = rotationRange > 0 ? Check.uniform(rng, -rotationRange, rotationRange) : 0;
        double dy = heightShift > 0 ? Check.uniform(rng, -heightShift, heightShift) * (heightShift < 1 ? h : 1) : 0;
        double dx = widthShift > 0 ? Check.uniform(rng, -widthShift, widthShift) * (widthShift < 1 ? w : 1) : 0;
        double shear = shearRange > 0 ? Check.uniform(rng, -shearRange, shearRange) : 0;
        double zx = 1, zy = 1;
        if (zoomMin != 1 || zoomMax != 1) {
            zx = Check.uniform(rng, zoomMin, zoomMax);
            zy = Check.uniform(rng, zoomMin, zoomMax);
        }
        return Functional.warp(image, matrix(h, w, theta, dx, dy, shear, zx, zy), h, w, interpolation, fillMode, cval);
    }

    @Override
    public String toString() {
        return "KerasAffine(rotation=" + rotationRange + ", shift=(" + widthShift + ", " + heightShift + "), shear=" + shearRange
                + ", zoom=[" + zoomMin + ", " + zoomMax + "], " + interpolation + ", " + fillMode + ")";
    }
}
