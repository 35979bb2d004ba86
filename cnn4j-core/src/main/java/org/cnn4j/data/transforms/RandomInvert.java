package org.cnn4j.data.transforms;

import java.util.SplittableRandom;

/** torchvision's {@code RandomInvert(p=0.5)} for images in [0, 1]: 1 - x. */
public final class RandomInvert implements Transform {
    private final double p;

    public RandomInvert(double p) {
        this.p = Check.probability("RandomInvert p", p);
    }

    @Override
    public Image apply(Image image, SplittableRandom rng) {
        return rng.nextDouble() < p ? Functional.invert(image) : image;
    }

    @Override
    public String toString() {
        return "RandomInvert(p=" + p + ")";
    }
}
