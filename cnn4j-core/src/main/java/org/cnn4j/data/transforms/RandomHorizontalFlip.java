package org.cnn4j.data.transforms;

import java.util.SplittableRandom;

/** Mirrors left-right with probability {@code p} (torchvision's {@code RandomHorizontalFlip(p=0.5)}). */
public final class RandomHorizontalFlip implements Transform {
    private final double p;

    public RandomHorizontalFlip() {
        this(0.5);
    }

    public RandomHorizontalFlip(double p) {
        this.p = Check.probability("RandomHorizontalFlip p", p);
    }

    @Override
    public Image apply(Image image, SplittableRandom rng) {
        return rng.nextDouble() < p ? Functional.hflip(image) : image;
    }

    @Override
    public String toString() {
        return "RandomHorizontalFlip(p=" + p + ")";
    }
}
