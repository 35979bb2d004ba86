package org.cnn4j.data;

/**
 * Bilinear resizing of {@code C x H x W} float images, as PyTorch's
 * {@code F.interpolate(mode="bilinear", align_corners=False, antialias=False)}: output pixel {@code (y, x)}
 * samples the input at {@code ((y + 0.5) * H / outH - 0.5, (x + 0.5) * W / outW - 0.5)}, clamped below at 0,
 * interpolating between the two nearest rows and columns (the last row/column repeats at the border).
 * Downscaling by large factors therefore skips pixels (no anti-aliasing), as that call does.
 */
public final class ImageResize {
    private ImageResize() {}

    /** Resizes {@code src} ({@code channels x height x width}) to {@code channels x outH x outW}. */
    public static float[] bilinear(float[] src, int channels, int height, int width, int outH, int outW) {
        if (channels < 1 || height < 1 || width < 1 || outH < 1 || outW < 1)
            throw new IllegalArgumentException("resize " + channels + "x" + height + "x" + width + " -> " + outH + "x" + outW
                    + ": every size must be >= 1");
        if (src.length != (long) channels * height * width)
            throw new IllegalArgumentException("a " + channels + "x" + height + "x" + width + " image needs "
                    + (long) channels * height * width + " floats, got " + src.length);
        float[] dst = new float[channels * outH * outW];
        if (outH == height && outW == width) {
            System.arraycopy(src, 0, dst, 0, src.length);
            return dst;
        }
        int[] x0 = new int[outW], x1 = new int[outW];
        float[] lx = new float[outW];
        axis((float) width / outW, width, outW, x0, x1, lx);
        int[] y0 = new int[outH], y1 = new int[outH];
        float[] ly = new float[outH];
        axis((float) height / outH, height, outH, y0, y1, ly);
        for (int c = 0; c < channels; c++) {
            int in = c * height * width, out = c * outH * outW;
            for (int y = 0; y < outH; y++) {
                int r0 = in + y0[y] * width, r1 = in + y1[y] * width;
                float wy1 = ly[y], wy0 = 1 - wy1;
                for (int x = 0; x < outW; x++) {
                    float wx1 = lx[x], wx0 = 1 - wx1;
                    dst[out + y * outW + x] = wy0 * (wx0 * src[r0 + x0[x]] + wx1 * src[r0 + x1[x]])
                            + wy1 * (wx0 * src[r1 + x0[x]] + wx1 * src[r1 + x1[x]]);
                }
            }
        }
        return dst;
    }

    /** PyTorch's area_pixel_compute_source_index (align_corners=False) and its neighbour/weight choice. */
    private static void axis(float scale, int in, int out, int[] i0, int[] i1, float[] lambda) {
        for (int o = 0; o < out; o++) {
            float real = Math.max(scale * (o + 0.5f) - 0.5f, 0f);
            int lo = (int) real;
            i0[o] = lo;
            i1[o] = lo < in - 1 ? lo + 1 : lo;
            lambda[o] = real - lo;
        }
    }
}
