package org.cnn4j.data.transforms;

import java.util.SplittableRandom;

/**
 * torchvision's {@code RandomCrop(size, padding, pad_if_needed, fill, padding_mode)}: pads every side by
 * {@code padding} (see {@link PaddingMode}), pads further when {@code padIfNeeded} and the image is
 * smaller than the crop, then takes a {@code height x width} window at a uniformly random position
 * (top in [0, H - height], left in [0, W - width]). The classic CIFAR augmentation is
 * {@code new RandomCrop(32, 32, 4, false, PaddingMode.CONSTANT, 0)}.
 */
public final class RandomCrop implements Transform {
    private final int height, width, padding;
    private final boolean padIfNeeded;
    private final PaddingMode mode;
    private final float fill;

    public RandomCrop(int height, int width, int padding, boolean padIfNeeded, PaddingMode mode, float fill) {
        this.height = Check.positive("RandomCrop height", height);
        this.width = Check.positive("RandomCrop width", width);
        this.padding = (int) Check.nonNegative("RandomCrop padding", padding);
        this.padIfNeeded = padIfNeeded;
        this.mode = Check.notNull("padding mode", mode);
        this.fill = fill;
    }

    /** A {@code size x size} crop after zero padding of {@code padding} pixels. */
    public RandomCrop(int size, int padding) {
        this(size, size, padding, false, PaddingMode.CONSTANT, 0f);
    }

    @Override
    public Image apply(Image image, SplittableRandom rng) {
        if (padding > 0) image = Functional.pad(image, padding, padding, padding, padding, mode, fill);
        if (padIfNeeded && image.width() < width) {
            int p = width - image.width();
            image = Functional.pad(image, p, 0, p, 0, mode, fill);
        }
        if (padIfNeeded && image.height() < height) {
            int p = height - image.height();
            image = Functional.pad(image, 0, p, 0, p, mode, fill);
        }
        int h = image.height(), w = image.width();
        if (h < height || w < width)
            throw new IllegalArgumentException("RandomCrop: crop size " + height + "x" + width + " is larger than the "
                    + (padding > 0 ? "padded " : "") + "image " + h + "x" + w + " (pass padIfNeeded or a larger padding)");
        if (h == height && w == width) return image;
        int top = rng.nextInt(h - height + 1), left = rng.nextInt(w - width + 1);
        return Functional.crop(image, top, left, height, width);
    }

    @Override
    public String toString() {
        return "RandomCrop(" + height + "x" + width + ", padding=" + padding + ", " + mode + ")";
    }
}
