package org.cnn4j.data.transforms;

import java.util.SplittableRandom;

/**
 * torchvision's {@code GaussianBlur(kernel_size, sigma=(0.1, 2.0))}: sigma ~ U(min, max), the same in x
 * and y, then {@link Functional#gaussianBlur} (reflect borders). Any value range.
 */
public final class GaussianBlur implements Transform {
    private final int kernelX, kernelY;
    private final double sigmaMin, sigmaMax;

    public GaussianBlur(int kernel) {
        this(kernel, kernel, 0.1, 2.0);
    }

    public GaussianBlur(int kernelX, int kernelY, double sigmaMin, double sigmaMax) {
        this.kernelX = Check.oddPositive("GaussianBlur kernel width", kernelX);
        this.kernelY = Check.oddPositive("GaussianBlur kernel height", kernelY);
        Check.range("GaussianBlur sigma", sigmaMin, sigmaMax);
        Check.positive("GaussianBlur sigma min", sigmaMin);
        this.sigmaMin = sigmaMin;
        this.sigmaMax = sigmaMax;
    }

    @Override
    public Image apply(Image image, SplittableRandom rng) {
        double sigma = Check.uniform(rng, sigmaMin, sigmaMax);
        return Functional.gaussianBlur(image, kernelX, kernelY, sigma, sigma);
    }

    @Override
    public String toString() {
        return "GaussianBlur(" + kernelX + "x" + kernelY + ", sigma=[" + sigmaMin + ", " + sigmaMax + "])";
    }
}
