package org.cnn4j.data.transforms;

import java.util.SplittableRandom;

/**
 * torchvision's {@code RandomAdjustSharpness(sharpness_factor, p=0.5)} for images in [0, 1]: with
 * probability p, {@link Functional#adjustSharpness} (factor 2 sharpens, 0 blurs).
 */
public final class RandomAdjustSharpness implements Transform {
    private final double factor, p;

    public RandomAdjustSharpness(double factor, double p) {
        this.factor = Check.nonNegative("RandomAdjustSharpness sharpness_factor", factor);
        this.p = Check.probability("RandomAdjustSharpness p", p);
    }

    @Override
    public Image apply(Image image, SplittableRandom rng) {
        return rng.nextDouble() < p ? Functional.adjustSharpness(image, factor) : image;
    }

    @Override
    public String toString() {
        return "RandomAdjustSharpness(" + factor + ", p=" + p + ")";
    }
}
