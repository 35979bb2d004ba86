package org.cnn4j.vision;

import org.cnn4j.autograd.Autograd;
import org.cnn4j.autograd.ops.Conv2dOp;
import org.cnn4j.data.transforms.Image;
import org.cnn4j.kernels.Conv2dGeometry;
import org.cnn4j.nn.AvgPool2d;
import org.cnn4j.nn.MaxPool2d;
import org.cnn4j.nn.MinPool2d;
import org.cnn4j.nn.Padding;
import org.cnn4j.tensor.Tensor;

import java.util.List;

/**
 * Hand-made filters and pooling on one image, through the library's own ops, as the seeds do with
 * {@code F.conv2d}/{@code tf.nn.conv2d} and a fixed kernel: convolution is {@link Conv2dOp} (the op behind
 * {@code nn.Conv2d}), pooling is {@link MaxPool2d}/{@link AvgPool2d}/{@link MinPool2d}. So a wrong picture here would also be a
 * wrong convolution in a network.
 *
 * <p>Each channel of the image is filtered on its own (the channels become the batch of a 1-channel
 * convolution); {@link #toGray} first gives one channel. Values are kept as computed (an edge detector
 * gives negative values); {@link #rescale} maps them to [0, 1] for display.
 */
public final class ImageFilters {
    private ImageFilters() {}

    /** How filtered values are mapped to the displayable range [0, 1] (0..255 once written). */
    public enum Rescale {
        /** Values below 0 become 0, above 1 become 1; the rest are unchanged (right for kernels that sum to 1). */
        CLIP,
        /** {@code (v - min) / (max - min)} with min and max over all channels; a constant image becomes 0. */
        MINMAX,
        /** {@code |v| / max|v|}: edge strength whatever its sign, 0 black; an all-zero image stays 0. */
        ABS
    }

    /** Pooling over non-overlapping windows (stride = window). */
    public enum Pool {
        MAX, AVG,
        /** Minimum over the window ({@link MinPool2d}). */
        MIN
    }

    /**
     * Gray from RGB with ITU-R BT.601 luma weights {@code 0.299 R + 0.587 G + 0.114 B} (PIL's
     * {@code convert("L")} and OpenCV's {@code COLOR_RGB2GRAY}); a 1-channel image is returned as is; other
     * channel counts take the plain mean.
     */
    public static Image toGray(Image img) {
        if (img.channels() == 1) return img;
        int plane = img.height() * img.width();
        float[] src = img.data(), dst = new float[plane];
        if (img.channels() == 3) {
            for (int i = 0; i < plane; i++) dst[i] = 0.299f * src[i] + 0.587f * src[plane + i] + 0.114f * src[2 * plane + i];
        } else {
            for (int c = 0; c < img.channels(); c++) for (int i = 0; i < plane; i++) dst[i] += src[c * plane + i];
            for (int i = 0; i < plane; i++) dst[i] /= img.channels();
        }
        return new Image(1, img.height(), img.width(), dst);
    }

    /**
     * Convolves every channel with the filter: output size per axis {@code (I + P_before + P_after - F) / S + 1}
     * (floored, as {@code nn.Conv2d}); {@link Padding#SAME} keeps {@code ceil(I / S)}. A magnitude filter
     * (sobel, prewitt) returns {@code sqrt(gx^2 + gy^2)} of its two kernels' responses.
     *
     * @throws IllegalArgumentException when the stride is not positive or the kernel is larger than the padded image
     */
    public static Image convolve(Image img, Filter filter, int stride, Padding padding) {
        if (stride < 1) throw new IllegalArgumentException("stride must be a positive integer. Received: stride=" + stride);
        int c = img.channels(), h = img.height(), w = img.width(), kh = filter.height(), kw = filter.width();
        List<Kernel> kernels = filter.kernels();
        int k = kernels.size();
        int[] ph = padding.resolve(0, h, kh, stride), pw = padding.resolve(1, w, kw, stride);
        if (h + ph[0] + ph[1] < kh || w + pw[0] + pw[1] < kw)
            throw new IllegalArgumentException("kernel " + filter.name() + " " + kh + "x" + kw + " is larger than the image " + h + "x" + w
                    + " with padding " + padding + " (" + (h + ph[0] + ph[1]) + "x" + (w + pw[0] + pw[1])
                    + "): O = (I - F + 2P) / S + 1 would be < 1");
        Conv2dGeometry g = new Conv2dGeometry(c, 1, h, w, k, kh, kw, stride, stride, ph[0], pw[0], ph[1], pw[1]);
        float[] weights = new float[k * kh * kw];
        for (int i = 0; i < k; i++) System.arraycopy(kernels.get(i).weights(), 0, weights, i * kh * kw, kh * kw);
        Tensor y;
        try (var ignored = Autograd.noGrad()) {
            y = Conv2dOp.apply(new Tensor(img.data().clone(), c, 1, h, w), new Tensor(weights, k, 1, kh, kw), null, g);
        }
        int oh = g.outH(), ow = g.outW(), plane = oh * ow;
        float[] out = y.data();
        if (!filter.magnitude()) return new Image(c, oh, ow, java.util.Arrays.copyOf(out, c * plane));
        float[] mag = new float[c * plane];
        for (int ch = 0; ch < c; ch++)
            for (int i = 0; i < plane; i++) {
                double s = 0;
                for (int j = 0; j < k; j++) {
                    double v = out[(ch * k + j) * plane + i];
                    s += v * v;
                }
                mag[ch * plane + i] = (float) Math.sqrt(s);
            }
        return new Image(c, oh, ow, mag);
    }

    /** Pools every channel over {@code size x size} windows with stride {@code size}: output {@code floor(I / size)}. */
    public static Image pool(Image img, Pool kind, int size) {
        if (size < 1) throw new IllegalArgumentException("pool size must be a positive integer. Received: size=" + size);
        if (size > img.height() || size > img.width())
            throw new IllegalArgumentException("pool size " + size + " is larger than the image " + img.height() + "x" + img.width());
        Tensor x = new Tensor(img.data().clone(), 1, img.channels(), img.height(), img.width());
        Tensor y;
        try (var ignored = Autograd.noGrad()) {
            y = switch (kind) {
                case MAX -> new MaxPool2d(size).call(x);
                case AVG -> new AvgPool2d(size).call(x);
                case MIN -> new MinPool2d(size).call(x);
            };
        }
        return new Image(img.channels(), y.size(2), y.size(3), y.data().clone());
    }

    /** Smallest and largest value over all channels. */
    public record Range(float min, float max) {}

    public static Range range(Image img) {
        float min = Float.POSITIVE_INFINITY, max = Float.NEGATIVE_INFINITY;
        for (float v : img.data()) {
            if (v < min) min = v;
            if (v > max) max = v;
        }
        return new Range(min, max);
    }

    /** Maps the values to [0, 1] by {@code mode}; see {@link Rescale}. */
    public static Image rescale(Image img, Rescale mode) {
        float[] src = img.data(), dst = new float[src.length];
        switch (mode) {
            case CLIP -> {
                for (int i = 0; i < src.length; i++) dst[i] = Math.min(1f, Math.max(0f, src[i]));
            }
            case MINMAX -> {
                Range r = range(img);
                float span = r.max() - r.min();
                if (span > 0) for (int i = 0; i < src.length; i++) dst[i] = (src[i] - r.min()) / span;
            }
            case ABS -> {
                float max = 0;
                for (float v : src) max = Math.max(max, Math.abs(v));
                if (max > 0) for (int i = 0; i < src.length; i++) dst[i] = Math.abs(src[i]) / max;
            }
        }
        return new Image(img.channels(), img.height(), img.width(), dst);
    }
}
