package org.cnn4j.data.transforms;

import java.util.SplittableRandom;

/** albumentations' {@code Blur(blur_limit)} with a fixed odd kernel: the mean of a k x k window (reflect borders). */
public final class BoxBlur implements Transform {
    private final int kernel;

    public BoxBlur(int kernel) {
        this.kernel = Check.oddPositive("BoxBlur kernel", kernel);
    }

    @Override
    public Image apply(Image image, SplittableRandom rng) {
        return Functional.boxBlur(image, kernel);
    }

    @Override
    public String toString() {
        return "BoxBlur(" + kernel + ")";
    }
}
