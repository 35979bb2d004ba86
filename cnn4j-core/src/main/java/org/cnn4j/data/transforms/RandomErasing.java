package org.cnn4j.data.transforms;

import java.util.SplittableRandom;

/**
 * torchvision's {@code RandomErasing(p=0.5, scale=(0.02, 0.33), ratio=(0.3, 3.3), value=0)}: with probability
 * p, up to 10 attempts to draw a block of area {@code U(scale) * H * W} and aspect {@code exp(U(log ratio))}
 * (h = round(sqrt(area * aspect)), w = round(sqrt(area / aspect))) strictly smaller than the image, at a
 * uniform position, filled with {@code value} (one value, or one per channel) or, with {@link #random},
 * standard normal noise; when no attempt fits the image is returned unchanged.
 */
public final class RandomErasing implements Transform {
    private final double p, scaleMin, scaleMax, logRatioMin, logRatioMax;
    private final float[] value; // null: random normal values

    public RandomErasing() {
        this(0.5, 0.02, 0.33, 0.3, 3.3, new float[] {0f});
    }

    public RandomErasing(double p, double scaleMin, double scaleMax, double ratioMin, double ratioMax, float[] value) {
        this.p = Check.probability("RandomErasing p", p);
        Check.range("RandomErasing scale", scaleMin, scaleMax);
        if (scaleMin < 0 || scaleMax > 1)
            throw new IllegalArgumentException("RandomErasing scale must lie in [0, 1]. Received: [" + scaleMin + ", " + scaleMax + "]");
        Check.range("RandomErasing ratio", ratioMin, ratioMax);
        Check.positive("RandomErasing ratio min", ratioMin);
        this.scaleMin = scaleMin;
        this.scaleMax = scaleMax;
        this.logRatioMin = Math.log(ratioMin);
        this.logRatioMax = Math.log(ratioMax);
        this.value = value == null ? null : value.clone();
    }

    /** torchvision's {@code value='random'}: the block gets N(0, 1) values. */
    public static RandomErasing random(double p, double scaleMin, double scaleMax, double ratioMin, double ratioMax) {
        return new RandomErasing(p, scaleMin, scaleMax, ratioMin, ratioMax, null);
    }

    /** The block {@code {top, left, height, width}} for an {@code h x w} image, or null when no attempt fits. */
    public int[] block(int h, int w, SplittableRandom rng) {
        double area = (double) h * w;
        for (int attempt = 0; attempt < 10; attempt++) {
            double erase = area * Check.uniform(rng, scaleMin, scaleMax);
            double aspect = Math.exp(Check.uniform(rng, logRatioMin, logRatioMax));
            int bh = (int) Math.rint(Math.sqrt(erase * aspect));
            int bw = (int) Math.rint(Math.sqrt(erase / aspect));
            if (!(bh < h && bw < w)) continue;
            int top = rng.nextInt(h - bh + 1), left = rng.nextInt(w - bw + 1);
            return new int[] {top, left, bh, bw};
        }
        return null;
    }

    @Override
    public Image apply(Image image, SplittableRandom rng) {
        if (!(rng.nextDouble() < p)) return image;
        int c = image.channels();
        if (value != null && value.length != 1 && value.length != c)
            throw new IllegalArgumentException("RandomErasing has " + value.length + " values for an image with " + c + " channels");
        int[] b = block(image.height(), image.width(), rng);
        if (b == null) return image;
        float[] v = value;
        if (v == null) {
            v = new float[c * b[2] * b[3]];
            for (int i = 0; i < v.length; i++) v[i] = (float) rng.nextGaussian();
        }
        return Functional.erase(image, b[0], b[1], b[2], b[3], v);
    }

    @Override
    public String toString() {
        return "RandomErasing(p=" + p + ", scale=[" + scaleMin + ", " + scaleMax + "], ratio=[" + Math.exp(logRatioMin) + ", "
                + Math.exp(logRatioMax) + "], value=" + (value == null ? "random" : java.util.Arrays.toString(value)) + ")";
    }
}
