package org.cnn4j.data.transforms;

import java.util.SplittableRandom;

/** torchvision's {@code RandomPosterize(bits, p=0.5)} for images in [0, 1]; see {@link Functional#posterize}. */
public final class RandomPosterize implements Transform {
    private final int bits;
    private final double p;

    public RandomPosterize(int bits, double p) {
        if (bits < 0 || bits > 8) throw new IllegalArgumentException("RandomPosterize bits must be in 0..8. Received: " + bits);
        this.bits = bits;
        this.p = Check.probability("RandomPosterize p", p);
    }

    @Override
    public Image apply(Image image, SplittableRandom rng) {
        return rng.nextDouble() < p ? Functional.posterize(image, bits) : image;
    }

    @Override
    public String toString() {
        return "RandomPosterize(" + bits + ", p=" + p + ")";
    }
}
