package org.cnn4j.data.transforms;

import java.util.SplittableRandom;

/**
 * Gamma correction x^gamma with gamma ~ U(min, max) (albumentations' {@code RandomGamma(gamma_limit=(80, 120))}
 * is {@code new RandomGamma(0.8, 1.2)}); through torchvision's {@code adjust_gamma}, for images in [0, 1].
 */
public final class RandomGamma implements Transform {
    private final double min, max;

    public RandomGamma(double min, double max) {
        Check.range("RandomGamma gamma", min, max);
        Check.nonNegative("RandomGamma gamma min", min);
        this.min = min;
        this.max = max;
    }

    @Override
    public Image apply(Image image, SplittableRandom rng) {
        return Functional.adjustGamma(image, Check.uniform(rng, min, max), 1.0);
    }

    @Override
    public String toString() {
        return "RandomGamma([" + min + ", " + max + "])";
    }
}
