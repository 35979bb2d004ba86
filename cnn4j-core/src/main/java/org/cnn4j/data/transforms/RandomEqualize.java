package org.cnn4j.data.transforms;

import java.util.SplittableRandom;

/** torchvision's {@code RandomEqualize(p=0.5)} for images in [0, 1]; see {@link Functional#equalize}. p = 1 always equalizes. */
public final class RandomEqualize implements Transform {
    private final double p;

    public RandomEqualize(double p) {
        this.p = Check.probability("RandomEqualize p", p);
    }

    @Override
    public Image apply(Image image, SplittableRandom rng) {
        return rng.nextDouble() < p ? Functional.equalize(image) : image;
    }

    @Override
    public String toString() {
        return "RandomEqualize(p=" + p + ")";
    }
}
