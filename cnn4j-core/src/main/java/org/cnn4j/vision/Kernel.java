package org.cnn4j.vision;

import java.util.Arrays;

/**
 * A hand-made convolution kernel: {@code height x width} weights, row-major. Applied as the library's
 * convolution applies every kernel, as a cross-correlation ({@code y[i, j] = sum_{p, q} x[i + p, j + q] k[p, q]}),
 * so the kernels here are written the way they appear in the seeds and in OpenCV/PIL tables.
 */
public record Kernel(String name, int height, int width, float[] weights) {
    public Kernel {
        if (height < 1 || width < 1)
            throw new IllegalArgumentException("kernel '" + name + "': height and width must be >= 1. Received: " + height + "x" + width);
        if (weights.length != height * width)
            throw new IllegalArgumentException("kernel '" + name + "': " + height + "x" + width + " needs " + height * width
                    + " weights. Received: " + weights.length);
        weights = weights.clone();
        for (float w : weights)
            if (!Float.isFinite(w)) throw new IllegalArgumentException("kernel '" + name + "': weights must be finite. Received: " + w);
    }

    /** A kernel from rows of equal length. */
    public static Kernel of(String name, float[][] rows) {
        if (rows.length == 0) throw new IllegalArgumentException("kernel '" + name + "': no rows");
        int w = rows[0].length;
        float[] k = new float[rows.length * w];
        for (int r = 0; r < rows.length; r++) {
            if (rows[r].length != w)
                throw new IllegalArgumentException("kernel '" + name + "': row " + (r + 1) + " has " + rows[r].length
                        + " values, row 1 has " + w + " (every row needs the same length)");
            System.arraycopy(rows[r], 0, k, r * w, w);
        }
        return new Kernel(name, rows.length, w, k);
    }

    @Override
    public float[] weights() {
        return weights.clone();
    }

    public float get(int row, int col) {
        return weights[row * width + col];
    }

    /** Sum of the weights: 1 for smoothing/sharpening kernels (brightness kept), 0 for edge detectors. */
    public double sum() {
        double s = 0;
        for (float w : weights) s += w;
        return s;
    }

    /** {@code [[-1,0,1],[-2,0,2],[-1,0,1]]}. */
    public String matrix() {
        StringBuilder sb = new StringBuilder("[");
        for (int r = 0; r < height; r++) {
            sb.append(r == 0 ? "[" : ",[");
            for (int c = 0; c < width; c++) {
                if (c > 0) sb.append(',');
                float v = get(r, c);
                sb.append(v == Math.rint(v) && Math.abs(v) < 1e6 ? Integer.toString((int) v)
                        : new java.math.BigDecimal(v).round(new java.math.MathContext(4)).stripTrailingZeros().toPlainString());
            }
            sb.append(']');
        }
        return sb.append(']').toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Kernel k && k.name.equals(name) && k.height == height && k.width == width && Arrays.equals(k.weights, weights);
    }

    @Override
    public int hashCode() {
        return (name.hashCode() * 31 + height) * 31 * 31 + width * 31 + Arrays.hashCode(weights);
    }

    /**
     * {@code sobel-x 3x3 [[-1,0,1],[-2,0,2],[-1,0,1]]}; kernels larger than 3x3 with fractional weights (a
     * 9x9 Gaussian) are summarised as {@code gaussian9 9x9, weights 0.00397..0.0235, sum 1}.
     */
    @Override
    public String toString() {
        boolean integers = true;
        float min = Float.POSITIVE_INFINITY, max = Float.NEGATIVE_INFINITY;
        for (float w : weights) {
            integers &= w == Math.rint(w);
            min = Math.min(min, w);
            max = Math.max(max, w);
        }
        if (height * width <= 9 || integers && height <= 7 && width <= 7) return name + " " + height + "x" + width + " " + matrix();
        return String.format(java.util.Locale.ROOT, "%s %dx%d, weights %.3g..%.3g, sum %.4g", name, height, width, min, max, sum());
    }
}
