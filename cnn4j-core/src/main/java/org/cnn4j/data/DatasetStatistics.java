package org.cnn4j.data;

import org.cnn4j.data.transforms.Transform;
import org.cnn4j.tensor.Shape;

import java.util.Arrays;

/**
 * Per-channel statistics of a dataset: mean, standard deviation (population, ddof 0, as
 * {@code tensor.std(unbiased=False)} and as the usual normalisation constants are computed), minimum and
 * maximum over every value of every sample. Channels are the first dimension of a {@code C x H x W}
 * sample; samples of another rank count as one channel.
 *
 * <p>Computed in two passes with double accumulation: the mean first, then the sum of squared deviations
 * from it, which avoids the cancellation of {@code E[x^2] - E[x]^2}. The result is deterministic.
 *
 * @param mean per channel
 * @param std  per channel, population standard deviation
 * @param min  per channel
 * @param max  per channel
 * @param valuesPerChannel how many values each channel's figures cover (samples times H times W)
 */
public record DatasetStatistics(double[] mean, double[] std, double[] min, double[] max, long valuesPerChannel) {
    /** Computes the statistics over all samples of {@code ds}. */
    public static DatasetStatistics compute(Dataset ds) {
        int[] shape = ds.sampleShape();
        int channels = shape.length == 3 ? shape[0] : 1;
        int size = Shape.size(shape), plane = size / channels;
        int n = ds.size();
        if (n == 0 || size == 0) throw new IllegalArgumentException("statistics of an empty dataset (" + ds + ")");
        double[] sum = new double[channels], sq = new double[channels];
        double[] min = new double[channels], max = new double[channels];
        Arrays.fill(min, Double.POSITIVE_INFINITY);
        Arrays.fill(max, Double.NEGATIVE_INFINITY);
        float[] x = new float[size];
        for (int i = 0; i < n; i++) {
            ds.copySample(i, x, 0);
            for (int c = 0; c < channels; c++) {
                double s = 0, lo = min[c], hi = max[c];
                for (int j = c * plane, end = j + plane; j < end; j++) {
                    float v = x[j];
                    s += v;
                    if (v < lo) lo = v;
                    if (v > hi) hi = v;
                }
                sum[c] += s;
                min[c] = lo;
                max[c] = hi;
            }
        }
        long count = (long) n * plane;
        double[] mean = new double[channels];
        for (int c = 0; c < channels; c++) mean[c] = sum[c] / count;
        for (int i = 0; i < n; i++) {
            ds.copySample(i, x, 0);
            for (int c = 0; c < channels; c++) {
                double s = 0, m = mean[c];
                for (int j = c * plane, end = j + plane; j < end; j++) {
                    double d = x[j] - m;
                    s += d * d;
                }
                sq[c] += s;
            }
        }
        double[] std = new double[channels];
        for (int c = 0; c < channels; c++) std[c] = Math.sqrt(sq[c] / count);
        return new DatasetStatistics(mean, std, min, max, count);
    }

    /** Number of channels. */
    public int channels() {
        return mean.length;
    }

    /**
     * The z-score transform {@code (x - mean[c]) / std[c]} (torchvision's {@code Normalize(mean, std)}); a
     * channel with zero deviation is only centred.
     */
    public Transform normalizer() {
        float[] m = toFloat(mean), inv = new float[channels()];
        for (int c = 0; c < inv.length; c++) inv[c] = std[c] > 0 ? (float) (1 / std[c]) : 1f;
        return perChannel(m, inv);
    }

    /** The min-max transform {@code (x - min[c]) / (max[c] - min[c])} onto [0, 1]; a constant channel becomes 0. */
    public Transform minMaxScaler() {
        float[] lo = toFloat(min), inv = new float[channels()];
        for (int c = 0; c < inv.length; c++) inv[c] = max[c] > min[c] ? (float) (1 / (max[c] - min[c])) : 0f;
        return perChannel(lo, inv);
    }

    private Transform perChannel(float[] shift, float[] scale) {
        int channels = channels();
        return (image, rng) -> {
            if (image.channels() != channels && channels != 1)
                throw new IllegalArgumentException("statistics of " + channels + " channels applied to an image of "
                        + image.channels() + " channels");
            float[] d = image.data();
            int plane = image.height() * image.width();
            for (int c = 0; c < image.channels(); c++) {
                int k = channels == 1 ? 0 : c;
                float s = shift[k], f = scale[k];
                for (int j = c * plane, end = j + plane; j < end; j++) d[j] = (d[j] - s) * f;
            }
            return image;
        };
    }

    private static float[] toFloat(double[] a) {
        float[] f = new float[a.length];
        for (int i = 0; i < a.length; i++) f[i] = (float) a[i];
        return f;
    }

    @Override
    public String toString() {
        return "DatasetStatistics(mean " + Arrays.toString(mean) + ", std " + Arrays.toString(std) + ", min " + Arrays.toString(min)
                + ", max " + Arrays.toString(max) + ", " + valuesPerChannel + " values per channel)";
    }
}
