package org.cnn4j.data.transforms;

import java.util.SplittableRandom;

/**
 * torchvision's {@code Normalize(mean, std)}: (x - mean[c]) / std[c] per channel (one pair for all channels
 * works too). Fashion-MNIST's usual values are mean 0.2860, std 0.3530. Any input range.
 */
public final class Normalize implements Transform {
    private final float[] mean, std;

    public Normalize(float[] mean, float[] std) {
        if (mean.length == 0 || mean.length != std.length)
            throw new IllegalArgumentException("Normalize needs as many stds as means (at least one). Received: " + mean.length
                    + " means, " + std.length + " stds");
        for (int i = 0; i < std.length; i++)
            if (!(std[i] > 0) || !Float.isFinite(std[i]) || !Float.isFinite(mean[i]))
                throw new IllegalArgumentException("Normalize std must be > 0 and mean finite. Received: mean " + mean[i] + ", std "
                        + std[i] + " for channel " + i);
        this.mean = mean.clone();
        this.std = std.clone();
    }

    /** One mean and std for every channel. */
    public Normalize(float mean, float std) {
        this(new float[] {mean}, new float[] {std});
    }

    @Override
    public Image apply(Image image, SplittableRandom rng) {
        return Functional.normalize(image, mean, std);
    }

    @Override
    public String toString() {
        return "Normalize(mean=" + java.util.Arrays.toString(mean) + ", std=" + java.util.Arrays.toString(std) + ")";
    }
}
