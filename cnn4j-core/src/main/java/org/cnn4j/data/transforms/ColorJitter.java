package org.cnn4j.data.transforms;

import java.util.SplittableRandom;

/**
 * torchvision's {@code ColorJitter(brightness, contrast, saturation, hue)} for images in [0, 1]: factors
 * brightness ~ U(max(0, 1 - b), 1 + b), contrast ~ U(max(0, 1 - c), 1 + c), saturation ~ U(max(0, 1 - s),
 * 1 + s), hue ~ U(-h, h) (h <= 0.5), applied in a random order (torch.randperm(4)), each through
 * {@link Functional}'s adjust_*. A zero argument switches that adjustment off. Saturation and hue leave
 * grey (1-channel) images unchanged, as torchvision does.
 */
public final class ColorJitter implements Transform {
    private final double brightness, contrast, saturation, hue;

    public ColorJitter(double brightness, double contrast, double saturation, double hue) {
        this.brightness = Check.nonNegative("ColorJitter brightness", brightness);
        this.contrast = Check.nonNegative("ColorJitter contrast", contrast);
        this.saturation = Check.nonNegative("ColorJitter saturation", saturation);
        if (!(hue >= 0 && hue <= 0.5)) throw new IllegalArgumentException("ColorJitter hue must be in [0, 0.5]. Received: " + hue);
        this.hue = hue;
    }

    /** Brightness only: factor ~ U(max(0, 1 - b), 1 + b). */
    public static ColorJitter brightness(double b) {
        return new ColorJitter(b, 0, 0, 0);
    }

    /** Contrast only. */
    public static ColorJitter contrast(double c) {
        return new ColorJitter(0, c, 0, 0);
    }

    /** Saturation only. */
    public static ColorJitter saturation(double s) {
        return new ColorJitter(0, 0, s, 0);
    }

    /** Hue only. */
    public static ColorJitter hue(double h) {
        return new ColorJitter(0, 0, 0, h);
    }

    @Override
    public Image apply(Image image, SplittableRandom rng) {
        int[] order = RandomOrder.permutation(4, rng);
        double b = brightness > 0 ? Check.uniform(rng, Math.max(0, 1 - brightness), 1 + brightness) : Double.NaN;
        double c = contrast > 0 ? Check.uniform(rng, Math.max(0, 1 - contrast), 1 + contrast) : Double.NaN;
        double s = saturation > 0 ? Check.uniform(rng, Math.max(0, 1 - saturation), 1 + saturation) : Double.NaN;
        double h = hue > 0 ? Check.uniform(rng, -hue, hue) : Double.NaN;
        for (int fn : order) {
            switch (fn) {
                case 0 -> { if (!Double.isNaN(b)) image = Functional.adjustBrightness(image, b); }
                case 1 -> { if (!Double.isNaN(c)) image = Functional.adjustContrast(image, c); }
                case 2 -> { if (!Double.isNaN(s)) image = Functional.adjustSaturation(image, s); }
                default -> { if (!Double.isNaN(h)) image = Functional.adjustHue(image, h); }
            }
        }
        return image;
    }

    @Override
    public String toString() {
        return "ColorJitter(brightness=" + brightness + ", contrast=" + contrast + ", saturation=" + saturation + ", hue=" + hue + ")";
    }
}
