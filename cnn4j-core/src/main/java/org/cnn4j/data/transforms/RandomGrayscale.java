package org.cnn4j.data.transforms;

import java.util.SplittableRandom;

/** torchvision's {@code RandomGrayscale(p=0.1)}: with probability p, grey in as many channels as the input. */
public final class RandomGrayscale implements Transform {
    private final double p;

    public RandomGrayscale(double p) {
        this.p = Check.probability("RandomGrayscale p", p);
    }

    @Override
    public Image apply(Image image, SplittableRandom rng) {
        return rng.nextDouble() < p ? Functional.rgbToGrayscale(image, image.channels()) : image;
    }

    @Override
    public String toString() {
        return "RandomGrayscale(p=" + p + ")";
    }
}
