package org.cnn4j.data.transforms;

import java.util.SplittableRandom;

/**
 * Adds independent N(mean, sigma^2) noise to every value, with sigma ~ U(sigmaMin, sigmaMax) per image
 * (albumentations' {@code GaussNoise}, with the standard deviation in image units rather than a variance
 * in 0..255 units); with {@code clip}, results are clipped to [0, 1].
 */
public final class GaussianNoise implements Transform {
    private final double mean, sigmaMin, sigmaMax;
    private final boolean clip;

    /** N(0, sigma^2), clipped to [0, 1]. */
    public GaussianNoise(double sigma) {
        this(0, sigma, sigma, true);
    }

    public GaussianNoise(double mean, double sigmaMin, double sigmaMax, boolean clip) {
        if (!Double.isFinite(mean)) throw new IllegalArgumentException("GaussianNoise mean must be finite. Received: " + mean);
        Check.range("GaussianNoise sigma", sigmaMin, sigmaMax);
        Check.nonNegative("GaussianNoise sigma min", sigmaMin);
        this.mean = mean;
        this.sigmaMin = sigmaMin;
        this.sigmaMax = sigmaMax;
        this.clip = clip;
    }

    @Override
    public Image apply(Image image, SplittableRandom rng) {
        double sigma = Check.uniform(rng, sigmaMin, sigmaMax);
        float[] x = image.data(), out = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            double v = x[i] + mean + sigma * rng.nextGaussian();
            out[i] = (float) (clip ? Math.min(1, Math.max(0, v)) : v);
        }
        return new Image(image.channels(), image.height(), image.width(), out);
    }

    @Override
    public String toString() {
        return "GaussianNoise(mean=" + mean + ", sigma=[" + sigmaMin + ", " + sigmaMax + "]" + (clip ? ", clip" : "") + ")";
    }
}
