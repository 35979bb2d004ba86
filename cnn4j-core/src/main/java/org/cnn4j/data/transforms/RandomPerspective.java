package org.cnn4j.data.transforms;

import java.util.SplittableRandom;

/**
 * torchvision's {@code RandomPerspective(distortion_scale=0.5, p=0.5, interpolation=bilinear, fill=0)}: with
 * probability p, each corner moves inwards by up to {@code distortion * half the size} (drawn as its
 * {@code get_params}), and {@link Functional#perspective} maps the image onto the new quadrilateral.
 */
public final class RandomPerspective implements Transform {
    private final double distortion, p;
    private final Interpolation interpolation;
    private final FillMode fillMode;
    private final float fill;

    public RandomPerspective(double distortion, double p) {
        this(distortion, p, Interpolation.BILINEAR, FillMode.CONSTANT, 0f);
    }

    public RandomPerspective(double distortion, double p, Interpolation interpolation, FillMode fillMode, float fill) {
        if (!(distortion >= 0 && distortion <= 1))
            throw new IllegalArgumentException("RandomPerspective distortion_scale must be in [0, 1]. Received: " + distortion);
        this.distortion = distortion;
        this.p = Check.probability("RandomPerspective p", p);
        this.interpolation = Check.notNull("interpolation", interpolation);
        if (interpolation == Interpolation.BICUBIC)
            throw new IllegalArgumentException("RandomPerspective interpolation must be nearest or bilinear. Received: bicubic");
        this.fillMode = Check.notNull("fill mode", fillMode);
        this.fill = fill;
    }

    /** The end points (top-left, top-right, bottom-right, bottom-left, each {x, y}) for an h x w image. */
    public int[][] endpoints(int h, int w, SplittableRandom rng) {
        int dw = (int) (distortion * (w / 2)), dh = (int) (distortion * (h / 2));
        int[] tl = {rng.nextInt(dw + 1), rng.nextInt(dh + 1)};
        int[] tr = {w - dw - 1 + rng.nextInt(dw + 1), rng.nextInt(dh + 1)};
        int[] br = {w - dw - 1 + rng.nextInt(dw + 1), h - dh - 1 + rng.nextInt(dh + 1)};
        int[] bl = {rng.nextInt(dw + 1), h - dh - 1 + rng.nextInt(dh + 1)};
        return new int[][] {tl, tr, br, bl};
    }

    /** The start points: the image corners in torchvision's order. */
    public static int[][] corners(int h, int w) {
        return new int[][] {{0, 0}, {w - 1, 0}, {w - 1, h - 1}, {0, h - 1}};
    }

    @Override
    public Image apply(Image image, SplittableRandom rng) {
        if (!(rng.nextDouble() < p)) return image;
        int h = image.height(), w = image.width();
        return Functional.perspective(image, corners(h, w), endpoints(h, w, rng), interpolation, fillMode, fill);
    }

    @Override
    public String toString() {
        return "RandomPerspective(" + distortion + ", p=" + p + ", " + interpolation + ", " + fillMode + ")";
    }
}
