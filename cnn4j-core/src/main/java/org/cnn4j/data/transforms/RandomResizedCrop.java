package org.cnn4j.data.transforms;

import java.util.SplittableRandom;

/**
 * torchvision's {@code RandomResizedCrop(size, scale=(0.08, 1), ratio=(3/4, 4/3))}: up to 10 attempts to
 * draw a window of area {@code U(scale) * H * W} and aspect ratio {@code exp(U(log ratio))} (w = round(sqrt(
 * area * ratio)), h = round(sqrt(area / ratio))) that fits, at a uniform position; otherwise the central
 * crop with the ratio clamped to the range. The window is resized to {@code height x width}.
 */
public final class RandomResizedCrop implements Transform {
    private final int height, width;
    private final double scaleMin, scaleMax, logRatioMin, logRatioMax, ratioMin, ratioMax;
    private final Interpolation interpolation;

    /** torchvision's defaults: scale (0.08, 1), ratio (3/4, 4/3), bilinear. */
    public RandomResizedCrop(int height, int width) {
        this(height, width, 0.08, 1.0, 3.0 / 4.0, 4.0 / 3.0, Interpolation.BILINEAR);
    }

    public RandomResizedCrop(int height, int width, double scaleMin, double scaleMax, double ratioMin, double ratioMax,
                             Interpolation interpolation) {
        this.height = Check.positive("RandomResizedCrop height", height);
        this.width = Check.positive("RandomResizedCrop width", width);
        Check.range("RandomResizedCrop scale", scaleMin, scaleMax);
        Check.positive("RandomResizedCrop scale max", scaleMax);
        Check.range("RandomResizedCrop ratio", ratioMin, ratioMax);
        Check.positive("RandomResizedCrop ratio min", ratioMin);
        this.scaleMin = scaleMin;
        this.scaleMax = scaleMax;
        this.ratioMin = ratioMin;
        this.ratioMax = ratioMax;
        this.logRatioMin = Math.log(ratioMin);
        this.logRatioMax = Math.log(ratioMax);
        this.interpolation = Check.notNull("interpolation", interpolation);
    }

    /** The window {@code {top, left, height, width}} for an {@code imgH x imgW} image (torchvision's get_params). */
    public int[] window(int imgH, int imgW, SplittableRandom rng) {
        double area = (double) imgH * imgW;
        for (int attempt = 0; attempt < 10; attempt++) {
            double target = area * Check.uniform(rng, scaleMin, scaleMax);
            double aspect = Math.exp(Check.uniform(rng, logRatioMin, logRatioMax));
            int w = (int) Math.rint(Math.sqrt(target * aspect));
            int h = (int) Math.rint(Math.sqrt(target / aspect));
            if (w > 0 && w <= imgW && h > 0 && h <= imgH) {
                int top = rng.nextInt(imgH - h + 1), left = rng.nextInt(imgW - w + 1);
                return new int[] {top, left, h, w};
            }
        }
        double inRatio = (double) imgW / imgH;
        int w, h;
        if (inRatio < ratioMin) {
            w = imgW;
            h = (int) Math.rint(w / ratioMin);
        } else if (inRatio > ratioMax) {
            h = imgH;
            w = (int) Math.rint(h * ratioMax);
        } else {
            w = imgW;
            h = imgH;
        }
        return new int[] {(imgH - h) / 2, (imgW - w) / 2, h, w};
    }

    @Override
    public Image apply(Image image, SplittableRandom rng) {
        int[] win = window(image.height(), image.width(), rng);
        return Functional.resizedCrop(image, win[0], win[1], win[2], win[3], height, width, interpolation);
    }

    @Override
    public String toString() {
        return "RandomResizedCrop(" + height + "x" + width + ", scale=[" + scaleMin + ", " + scaleMax + "], ratio=[" + ratioMin
                + ", " + ratioMax + "], " + interpolation + ")";
    }
}
