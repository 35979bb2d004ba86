package org.cnn4j.data.transforms;

import java.util.SplittableRandom;

/** The central {@code height x width} window (torchvision's {@code CenterCrop}; see {@link Functional#centerCrop}). */
public final class CenterCrop implements Transform {
    private final int height, width;

    public CenterCrop(int size) {
        this(size, size);
    }

    public CenterCrop(int height, int width) {
        this.height = Check.positive("CenterCrop height", height);
        this.width = Check.positive("CenterCrop width", width);
    }

    @Override
    public Image apply(Image image, SplittableRandom rng) {
        return Functional.centerCrop(image, height, width);
    }

    @Override
    public String toString() {
        return "CenterCrop(" + height + "x" + width + ")";
    }
}
