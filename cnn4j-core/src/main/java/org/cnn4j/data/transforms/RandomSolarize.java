package org.cnn4j.data.transforms;

import java.util.SplittableRandom;

/** torchvision's {@code RandomSolarize(threshold, p=0.5)} for images in [0, 1]: inverts values >= threshold. */
public final class RandomSolarize implements Transform {
    private final double threshold, p;

    public RandomSolarize(double threshold, double p) {
        if (!(threshold >= 0 && threshold <= 1))
            throw new IllegalArgumentException("RandomSolarize threshold must be in [0, 1]. Received: " + threshold);
        this.threshold = threshold;
        this.p = Check.probability("RandomSolarize p", p);
    }

    @Override
    public Image apply(Image image, SplittableRandom rng) {
        return rng.nextDouble() < p ? Functional.solarize(image, threshold) : image;
    }

    @Override
    public String toString() {
        return "RandomSolarize(" + threshold + ", p=" + p + ")";
    }
}
