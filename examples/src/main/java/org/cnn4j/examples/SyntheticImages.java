package org.cnn4j.examples;

import org.cnn4j.data.ArrayDataset;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Small generated image sets that a network can learn in one short epoch, for the examples' tests
 * (so they run in seconds without Fashion-MNIST). Class {@code k} of {@code n} is a sinusoidal grating
 * (period 6 pixels, contrast 0.15) at the angle {@code 180° * k / n} with a random phase, about the
 * class's own gray level {@code 0.2 + 0.6 k / (n - 1)}, plus uniform noise of +-0.1; every channel holds
 * the same picture. Both cues survive global average pooling and a fully connected layer, so every model
 * of the examples learns them within one short epoch.
 */
public final class SyntheticImages {
    private SyntheticImages() {}

    /** {@code n} images of {@code [channels, size, size]} in [0, 1], labels cycling through the classes. */
    public static ArrayDataset gratings(int n, int channels, int size, int classes, long seed) {
        if (n < 1 || channels < 1 || size < 4 || classes < 2)
            throw new IllegalArgumentException("gratings: need n >= 1, channels >= 1, size >= 4, classes >= 2. Received: n=" + n
                    + ", channels=" + channels + ", size=" + size + ", classes=" + classes);
        SplittableRandom rng = new SplittableRandom(seed);
        int plane = size * size;
        float[] x = new float[n * channels * plane];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            int k = i % classes;
            y[i] = k;
            double angle = Math.PI * k / classes, phase = rng.nextDouble(2 * Math.PI);
            double cx = Math.cos(angle), sy = Math.sin(angle), f = 2 * Math.PI / 6, base = 0.2 + 0.6 * k / (classes - 1);
            for (int r = 0; r < size; r++)
                for (int c = 0; c < size; c++) {
                    double v = base + 0.15 * Math.sin(f * (c * cx + r * sy) + phase) + rng.nextDouble(-0.1, 0.1);
                    float fv = (float) Math.min(1, Math.max(0, v));
                    for (int ch = 0; ch < channels; ch++) x[(i * channels + ch) * plane + r * size + c] = fv;
                }
        }
        List<String> names = new ArrayList<>();
        for (int k = 0; k < classes; k++) names.add("grating-" + Math.round(180.0 * k / classes) + "deg");
        return new ArrayDataset(x, new int[] {channels, size, size}, y, names);
    }
}
