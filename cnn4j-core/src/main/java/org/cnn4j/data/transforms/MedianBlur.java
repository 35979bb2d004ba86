package org.cnn4j.data.transforms;

import java.util.SplittableRandom;

/** albumentations' {@code MedianBlur(blur_limit)} with a fixed odd kernel; see {@link Functional#medianBlur}. */
public final class MedianBlur implements Transform {
    private final int kernel;

    public MedianBlur(int kernel) {
        this.kernel = Check.oddPositive("MedianBlur kernel", kernel);
    }

    @Override
    public Image apply(Image image, SplittableRandom rng) {
        return Functional.medianBlur(image, kernel);
    }

    @Override
    public String toString() {
        return "MedianBlur(" + kernel + ")";
    }
}
