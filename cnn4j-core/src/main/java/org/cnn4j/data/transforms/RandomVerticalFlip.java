package org.cnn4j.data.transforms;

import java.util.SplittableRandom;

/** Mirrors top-bottom with probability {@code p} (torchvision's {@code RandomVerticalFlip(p=0.5)}). */
public final class RandomVerticalFlip implements Transform {
    private final double p;

    public RandomVerticalFlip() {
        this(0.5);
    }

    public RandomVerticalFlip(double p) {
        this.p = Check.probability("RandomVerticalFlip p", p);
    }

    @Override
    public Image apply(Image image, SplittableRandom rng) {
        return rng.nextDouble() < p ? Functional.vflip(image) : image;
    }

    @Override
    public String toString() {
        return "RandomVerticalFlip(p=" + p + ")";
    }
}
