package org.cnn4j.data.transforms;

import java.util.SplittableRandom;

/** torchvision's {@code Grayscale(num_output_channels)}: L = 0.2989 R + 0.587 G + 0.114 B, in 1 or 3 channels. */
public final class Grayscale implements Transform {
    private final int outChannels;

    public Grayscale(int outChannels) {
        if (outChannels != 1 && outChannels != 3)
            throw new IllegalArgumentException("Grayscale num_output_channels must be 1 or 3. Received: " + outChannels);
        this.outChannels = outChannels;
    }

    @Override
    public Image apply(Image image, SplittableRandom rng) {
        return Functional.rgbToGrayscale(image, outChannels);
    }

    @Override
    public String toString() {
        return "Grayscale(" + outChannels + ")";
    }
}
