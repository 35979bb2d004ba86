package org.cnn4j.data.transforms;

import java.util.Arrays;

/**
 * The deterministic image operations behind the random transforms, as torchvision's
 * {@code transforms.functional} computes them on float tensors (each method names the function it
 * follows). None modifies its input: each returns a new {@link Image}.
 *
 * <p>Coordinates: pixel {@code (y, x)} has its centre at integer coordinates {@code (y, x)}; the image
 * centre is {@code ((H - 1) / 2, (W - 1) / 2)}.
 *
 * <p>Value ranges: the colour operations (brightness, contrast, saturation, hue, gamma, sharpness,
 * solarize, invert, posterize, equalize) expect values in {@code [0, 1]} and clamp their results to it,
 * as torchvision does for float images. Geometric operations, blurs and normalisation work on any values.
 */
public final class Functional {
    private Functional() {}

    // ------------------------------------------------------------------ flips, crops, padding

    /** Mirrors left-right ({@code F.hflip}). */
    public static Image hflip(Image img) {
        int c = img.channels(), h = img.height(), w = img.width();
        float[] src = img.data(), dst = new float[src.length];
        for (int p = 0; p < c * h; p++) {
            int row = p * w;
            for (int x = 0; x < w; x++) dst[row + x] = src[row + w - 1 - x];
        }
        return new Image(c, h, w, dst);
    }

    /** Mirrors top-bottom ({@code F.vflip}). */
    public static Image vflip(Image img) {
        int c = img.channels(), h = img.height(), w = img.width();
        float[] src = img.data(), dst = new float[src.length];
        for (int ch = 0; ch < c; ch++)
            for (int y = 0; y < h; y++)
                System.arraycopy(src, (ch * h + h - 1 - y) * w, dst, (ch * h + y) * w, w);
        return new Image(c, h, w, dst);
    }

    /**
     * The {@code height x width} window whose top-left pixel is {@code (top, left)} ({@code F.crop}); parts of
     * the window outside the image are 0, as torchvision pads them.
     */
    public static Image crop(Image img, int top, int left, int height, int width) {
        if (height < 1 || width < 1)
            throw new IllegalArgumentException("crop size must be >= 1. Received: " + height + "x" + width);
        int c = img.channels(), h = img.height(), w = img.width();
        float[] src = img.data(), dst = new float[c * height * width];
        int x0 = Math.max(0, -left), x1 = Math.min(width, w - left);
        for (int ch = 0; ch < c; ch++)
            for (int y = 0; y < height; y++) {
                int sy = top + y;
                if (sy < 0 || sy >= h || x1 <= x0) continue;
                System.arraycopy(src, (ch * h + sy) * w + left + x0, dst, (ch * height + y) * width + x0, x1 - x0);
            }
        return new Image(c, height, width, dst);
    }

    /**
     * The central {@code height x width} window ({@code F.center_crop}): top = round((H - height) / 2),
     * left = round((W - width) / 2) with Python's round half to even; a window larger than the image is
     * zero-padded first, as torchvision does.
     */
    public static Image centerCrop(Image img, int height, int width) {
        int h = img.height(), w = img.width();
        if (width > w || height > h) {
            int left = width > w ? (width - w) / 2 : 0, top = height > h ? (height - h) / 2 : 0;
            int right = width > w ? (width - w + 1) / 2 : 0, bottom = height > h ? (height - h + 1) / 2 : 0;
            img = pad(img, left, top, right, bottom, PaddingMode.CONSTANT, 0f);
            h = img.height();
            w = img.width();
            if (width == w && height == h) return img;
        }
        int top = (int) Math.rint((h - height) / 2.0), left = (int) Math.rint((w - width) / 2.0);
        return crop(img, top, left, height, width);
    }

    /** Adds a border ({@code F.pad}); see {@link PaddingMode} for what each mode puts there. */
    public static Image pad(Image img, int left, int top, int right, int bottom, PaddingMode mode, float fill) {
        if (left < 0 || top < 0 || right < 0 || bottom < 0)
            throw new IllegalArgumentException("padding must be >= 0. Received: left " + left + ", top " + top + ", right "
                    + right + ", bottom " + bottom);
        int c = img.channels(), h = img.height(), w = img.width();
        int oh = h + top + bottom, ow = w + left + right;
        float[] src = img.data(), dst = new float[c * oh * ow];
        int[] xs = new int[ow];
        for (int x = 0; x < ow; x++) xs[x] = Borders.index(mode, x - left, w);
        for (int ch = 0; ch < c; ch++)
            for (int y = 0; y < oh; y++) {
                int sy = Borders.index(mode, y - top, h);
                int o = (ch * oh + y) * ow;
                if (sy < 0) {
                    Arrays.fill(dst, o, o + ow, fill);
                    continue;
                }
                int s = (ch * h + sy) * w;
                for (int x = 0; x < ow; x++) dst[o + x] = xs[x] < 0 ? fill : src[s + xs[x]];
            }
        return new Image(c, oh, ow, dst);
    }

    // ------------------------------------------------------------------ resizing

    /**
     * Resizes to {@code height x width} as {@code F.resize(img, [height, width], interpolation)} does on a
     * float tensor in torchvision 0.14 (no antialiasing), i.e. {@code F.interpolate(align_corners=False)}:
     * nearest takes source index floor(dst * in / out); bilinear and bicubic sample at
     * {@code (dst + 0.5) * in / out - 0.5} (bilinear clamps negatives to 0; bicubic uses a = -0.75 and
     * replicates edge pixels for taps outside the image).
     */
    public static Image resize(Image img, int height, int width, Interpolation interpolation) {
        if (height < 1 || width < 1)
            throw new IllegalArgumentException("resize size must be >= 1. Received: " + height + "x" + width);
        int c = img.channels(), h = img.height(), w = img.width();
        if (h == height && w == width) return img.copy();
        int[][] yi = new int[4][height], xi = new int[4][width];
        float[][] yw = new float[4][height], xw = new float[4][width];
        int taps = taps(interpolation);
        resizeAxis(h, height, interpolation, yi, yw);
        resizeAxis(w, width, interpolation, xi, xw);
        float[] src = img.data(), dst = new float[c * height * width];
        float[] rowTmp = new float[width];
        // separable: for each output row, combine `taps` source rows, each first interpolated along x
        for (int ch = 0; ch < c; ch++) {
            int base = ch * h * w;
            for (int y = 0; y < height; y++) {
                int o = (ch * height + y) * width;
                for (int x = 0; x < width; x++) dst[o + x] = 0f;
                for (int ty = 0; ty < taps; ty++) {
                    float wy = yw[ty][y];
                    int s = base + yi[ty][y] * w;
                    for (int x = 0; x < width; x++) {
                        float v = 0f;
                        for (int tx = 0; tx < taps; tx++) v += xw[tx][x] * src[s + xi[tx][x]];
                        rowTmp[x] = v;
                    }
                    for (int x = 0; x < width; x++) dst[o + x] += wy * rowTmp[x];
                }
            }
        }
        return new Image(c, height, width, dst);
    }

    private static int taps(Interpolation interpolation) {
        return switch (interpolation) {
            case NEAREST -> 1;
            case BILINEAR -> 2;
            case BICUBIC -> 4;
        };
    }

    /** Source indices and weights along one axis, as PyTorch's CPU upsampling kernels compute them (in float). */
    private static void resizeAxis(int in, int out, Interpolation interpolation, int[][] idx, float[][] wt) {
        float scale = (float) in / out;
        for (int d = 0; d < out; d++) {
            switch (interpolation) {
                case NEAREST -> {
                    int s = in == out ? d : (out == 2 * in ? d >> 1 : Math.min((int) Math.floor((float) (d * scale)), in - 1));
                    idx[0][d] = s;
                    wt[0][d] = 1f;
                }
                case BILINEAR -> {
                    if (in == out) {
                        idx[0][d] = idx[1][d] = d;
                        wt[0][d] = 1f;
                        wt[1][d] = 0f;
                        break;
                    }
                    float real = (float) (scale * (d + 0.5) - 0.5);
                    if (real < 0) real = 0;
                    int i0 = (int) real;
                    int i1 = i0 + (i0 < in - 1 ? 1 : 0);
                    float l1 = Math.min(Math.max(real - i0, 0f), 1f);
                    idx[0][d] = i0;
                    idx[1][d] = i1;
                    wt[0][d] = 1f - l1;
                    wt[1][d] = l1;
                }
                case BICUBIC -> {
                    float real = (float) (scale * (d + 0.5) - 0.5);
                    int i0 = (int) Math.floor(real);
                    float t = real - i0;
                    float[] k = cubicCoefficients(t);
                    for (int j = 0; j < 4; j++) {
                        idx[j][d] = Borders.clamp(i0 - 1 + j, in);
                        wt[j][d] = k[j];
                    }
                }
            }
        }
    }

    /** PyTorch's get_cubic_upsample_coefficients with A = -0.75. */
    static float[] cubicCoefficients(float t) {
        final float a = -0.75f;
        float x1 = t, x2 = 1f - t;
        return new float[] {cubic2(x1 + 1f, a), cubic1(x1, a), cubic1(x2, a), cubic2(x2 + 1f, a)};
    }

    private static float cubic1(float x, float a) {
        return ((a + 2) * x - (a + 3)) * x * x + 1;
    }

    private static float cubic2(float x, float a) {
        return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a;
    }

    /**
     * The size {@code F.resize(img, size)} gives for an int {@code size}: the shorter edge becomes
     * {@code size}, the longer one {@code int(size * long / short)}. Returns {@code {height, width}}.
     */
    public static int[] shorterEdgeSize(int height, int width, int size) {
        if (size < 1) throw new IllegalArgumentException("size must be >= 1. Received: " + size);
        if (height <= width) return new int[] {size, (int) ((double) size * width / height)};
        return new int[] {(int) ((double) size * height / width), size};
    }

    /** {@code F.resized_crop}: {@link #crop} then {@link #resize}. */
    public static Image resizedCrop(Image img, int top, int left, int height, int width, int outHeight, int outWidth,
                                    Interpolation interpolation) {
        return resize(crop(img, top, left, height, width), outHeight, outWidth, interpolation);
    }

    // ------------------------------------------------------------------ affine warps

    /**
     * Samples the output pixel {@code (y, x)} of an {@code outHeight x outWidth} image at the source point
     * {@code sx = m[0] x + m[1] y + m[2]}, {@code sy = m[3] x + m[4] y + m[5]} (pixel coordinates of the
     * input; with 8 entries the projective {@code sx = (m[0] x + m[1] y + m[2]) / (m[6] x + m[7] y + 1)},
     * {@code sy = (m[3] x + m[4] y + m[5]) / (m[6] x + m[7] y + 1)}), with NEAREST (round half to even, as grid_sample) or BILINEAR interpolation; points outside
     * the image are filled as {@code fillMode} says (CONSTANT: torchvision's mask blend with {@code fill}).
     */
    public static Image warp(Image img, double[] m, int outHeight, int outWidth, Interpolation interpolation,
                             FillMode fillMode, float fill) {
        if (m.length != 6 && m.length != 8)
            throw new IllegalArgumentException("a warp needs 6 (affine) or 8 (projective) coefficients. Received: " + m.length);
        boolean projective = m.length == 8;
        if (interpolation == Interpolation.BICUBIC)
            throw new IllegalArgumentException("affine warps support nearest and bilinear interpolation (as torchvision's). Received: bicubic");
        int c = img.channels(), h = img.height(), w = img.width();
        float[] src = img.data(), dst = new float[c * outHeight * outWidth];
        int plane = h * w, outPlane = outHeight * outWidth;
        for (int y = 0; y < outHeight; y++)
            for (int x = 0; x < outWidth; x++) {
                double sx = m[0] * x + m[1] * y + m[2], sy = m[3] * x + m[4] * y + m[5];
                if (projective) {
                    double d = m[6] * x + m[7] * y + 1;
                    sx /= d;
                    sy /= d;
                }
                int o = y * outWidth + x;
                if (interpolation == Interpolation.NEAREST) {
                    int ix = Borders.index(fillMode, (int) Math.rint(sx), w), iy = Borders.index(fillMode, (int) Math.rint(sy), h);
                    if (!finite(sx, sy) || ix < 0 || iy < 0) {
                        for (int ch = 0; ch < c; ch++) dst[ch * outPlane + o] = fill;
                    } else {
                        for (int ch = 0; ch < c; ch++) dst[ch * outPlane + o] = src[ch * plane + iy * w + ix];
                    }
                    continue;
                }
                if (!finite(sx, sy)) {
                    for (int ch = 0; ch < c; ch++) dst[ch * outPlane + o] = fillMode == FillMode.CONSTANT ? fill : 0f;
                    continue;
                }
                double fx = Math.floor(sx), fy = Math.floor(sy);
                int x0 = (int) fx, y0 = (int) fy;
                double tx = sx - fx, ty = sy - fy;
                if (x0 >= 0 && y0 >= 0 && x0 + 1 < w && y0 + 1 < h) { // all four neighbours inside: no border logic
                    double a = (1 - tx) * (1 - ty), b = tx * (1 - ty), cc = (1 - tx) * ty, d = tx * ty;
                    int i00 = y0 * w + x0;
                    for (int ch = 0, p = 0; ch < c; ch++, p += plane)
                        dst[ch * outPlane + o] = (float) (a * src[p + i00] + b * src[p + i00 + 1] + cc * src[p + i00 + w] + d * src[p + i00 + w + 1]);
                    continue;
                }
                int ix0 = Borders.index(fillMode, x0, w), ix1 = Borders.index(fillMode, x0 + 1, w);
                int iy0 = Borders.index(fillMode, y0, h), iy1 = Borders.index(fillMode, y0 + 1, h);
                double w00 = (1 - tx) * (1 - ty), w01 = tx * (1 - ty), w10 = (1 - tx) * ty, w11 = tx * ty;
                double mask = 1;
                if (fillMode == FillMode.CONSTANT) {
                    mask = 0;
                    if (ix0 >= 0 && iy0 >= 0) mask += w00;
                    if (ix1 >= 0 && iy0 >= 0) mask += w01;
                    if (ix0 >= 0 && iy1 >= 0) mask += w10;
                    if (ix1 >= 0 && iy1 >= 0) mask += w11;
                }
                for (int ch = 0; ch < c; ch++) {
                    int p = ch * plane;
                    double v = 0;
                    if (ix0 >= 0 && iy0 >= 0) v += w00 * src[p + iy0 * w + ix0];
                    if (ix1 >= 0 && iy0 >= 0) v += w01 * src[p + iy0 * w + ix1];
                    if (ix0 >= 0 && iy1 >= 0) v += w10 * src[p + iy1 * w + ix0];
                    if (ix1 >= 0 && iy1 >= 0) v += w11 * src[p + iy1 * w + ix1];
                    if (fillMode == FillMode.CONSTANT) v = v * mask + (1 - mask) * fill;
                    dst[ch * outPlane + o] = (float) v;
                }
            }
        return new Image(c, outHeight, outWidth, dst);
    }

    private static boolean finite(double a, double b) {
        return Double.isFinite(a) && Double.isFinite(b) && Math.abs(a) < 1e9 && Math.abs(b) < 1e9;
    }

    /**
     * torchvision's inverse affine matrix ({@code _get_inverse_affine_matrix} with the centre at the image
     * centre) turned into the absolute matrix {@link #warp} takes: rotation by {@code angle} degrees,
     * translation {@code (tx, ty)} pixels, {@code scale}, shears {@code shearX}, {@code shearY} degrees.
     * Entries within 1e-12 of an integer are rounded to it so that multiples of 90 degrees are exact.
     */
    public static double[] torchvisionAffineMatrix(int height, int width, double angle, double tx, double ty, double scale,
                                                   double shearX, double shearY) {
        if (!(scale > 0)) throw new IllegalArgumentException("scale must be > 0. Received: " + scale);
        double rot = Math.toRadians(angle), sx = Math.toRadians(shearX), sy = Math.toRadians(shearY);
        double a = Math.cos(rot - sy) / Math.cos(sy);
        double b = -Math.cos(rot - sy) * Math.tan(sx) / Math.cos(sy) - Math.sin(rot);
        double c = Math.sin(rot - sy) / Math.cos(sy);
        double d = -Math.sin(rot - sy) * Math.tan(sx) / Math.cos(sy) + Math.cos(rot);
        double[] t = {snap(d / scale), snap(-b / scale), 0, snap(-c / scale), snap(a / scale), 0};
        // centre (0, 0) in torchvision's centred coordinates: T^-1 only
        t[2] = t[0] * -tx + t[1] * -ty;
        t[5] = t[3] * -tx + t[4] * -ty;
        return centred(t, height, width, height, width);
    }

    /**
     * Turns a matrix in centred coordinates (source offset from the input centre as a function of the
     * output offset from the output centre) into {@link #warp}'s absolute pixel coordinates.
     */
    static double[] centred(double[] t, int inH, int inW, int outH, int outW) {
        double cix = (inW - 1) / 2.0, ciy = (inH - 1) / 2.0, cox = (outW - 1) / 2.0, coy = (outH - 1) / 2.0;
        return new double[] {t[0], t[1], t[2] + cix - t[0] * cox - t[1] * coy,
                t[3], t[4], t[5] + ciy - t[3] * cox - t[4] * coy};
    }

    static double snap(double v) {
        double r = Math.rint(v);
        return Math.abs(v - r) < 1e-12 ? r : v;
    }

    /** {@code F.affine} on a float tensor: see {@link #torchvisionAffineMatrix}; positive angles turn counter-clockwise. */
    public static Image affine(Image img, double angle, double tx, double ty, double scale, double shearX, double shearY,
                               Interpolation interpolation, FillMode fillMode, float fill) {
        double[] m = torchvisionAffineMatrix(img.height(), img.width(), angle, tx, ty, scale, shearX, shearY);
        return warp(img, m, img.height(), img.width(), interpolation, fillMode, fill);
    }

    /** {@code F.rotate(img, angle)} (expand=False, centre of the image): counter-clockwise by {@code angle} degrees. */
    public static Image rotate(Image img, double angle, Interpolation interpolation, FillMode fillMode, float fill) {
        // torchvision's rotate passes -angle to the matrix its affine uses
        return affine(img, -angle, 0, 0, 1, 0, 0, interpolation, fillMode, fill);
    }

    /**
     * {@code F.perspective(img, startpoints, endpoints)} on a float tensor: the projective map that takes the
     * four {@code start} corners ({x, y} pixel coordinates) to the {@code end} points, solved as torchvision's
     * {@code _get_perspective_coeffs} (the 8 x 8 system from end to start) and sampled as its
     * {@code _perspective_grid} (which evaluates the map at pixel-edge coordinates x + 0.5).
     */
    public static Image perspective(Image img, int[][] start, int[][] end, Interpolation interpolation, FillMode fillMode, float fill) {
        double[] c = perspectiveCoefficients(start, end);
        // sx = P(x + 0.5, y + 0.5) - 0.5 with P(u, v) = (c0 u + c1 v + c2) / (c6 u + c7 v + 1): fold the shifts in
        double d0 = 1 + 0.5 * c[6] + 0.5 * c[7];
        double nx = c[2] + 0.5 * c[0] + 0.5 * c[1] - 0.5 * d0, ny = c[5] + 0.5 * c[3] + 0.5 * c[4] - 0.5 * d0;
        double[] m = {(c[0] - 0.5 * c[6]) / d0, (c[1] - 0.5 * c[7]) / d0, nx / d0,
                (c[3] - 0.5 * c[6]) / d0, (c[4] - 0.5 * c[7]) / d0, ny / d0, c[6] / d0, c[7] / d0};
        return warp(img, m, img.height(), img.width(), interpolation, fillMode, fill);
    }

    /** torchvision's {@code _get_perspective_coeffs(startpoints, endpoints)}: 8 coefficients mapping end to start. */
    static double[] perspectiveCoefficients(int[][] start, int[][] end) {
        if (start.length != 4 || end.length != 4)
            throw new IllegalArgumentException("perspective needs 4 start and 4 end points. Received: " + start.length + " and " + end.length);
        double[][] a = new double[8][9];
        for (int i = 0; i < 4; i++) {
            double x = end[i][0], y = end[i][1], u = start[i][0], v = start[i][1];
            a[2 * i] = new double[] {x, y, 1, 0, 0, 0, -u * x, -u * y, u};
            a[2 * i + 1] = new double[] {0, 0, 0, x, y, 1, -v * x, -v * y, v};
        }
        for (int col = 0; col < 8; col++) { // Gaussian elimination with partial pivoting
            int piv = col;
            for (int r = col + 1; r < 8; r++) if (Math.abs(a[r][col]) > Math.abs(a[piv][col])) piv = r;
            if (Math.abs(a[piv][col]) < 1e-12)
                throw new IllegalArgumentException("perspective: the end points are degenerate (three on a line or repeated)");
            double[] t = a[col];
            a[col] = a[piv];
            a[piv] = t;
            for (int r = 0; r < 8; r++) {
                if (r == col) continue;
                double f = a[r][col] / a[col][col];
                for (int k = col; k < 9; k++) a[r][k] -= f * a[col][k];
            }
        }
        double[] c = new double[8];
        for (int i = 0; i < 8; i++) c[i] = a[i][8] / a[i][i];
        return c;
    }

    // ------------------------------------------------------------------ colour (values in [0, 1])

    private static float clamp01(double v) {
        return v < 0 ? 0f : (v > 1 ? 1f : (float) v);
    }

    /**
     * torchvision's {@code _blend}: clamp(ratio * a + (1 - ratio) * b, 0, 1), where {@code b} holds one value
     * for the whole image, one plane shared by every channel, or one value per element of {@code a}.
     */
    private static Image blend(Image a, float[] b, double ratio) {
        float[] x = a.data(), out = new float[x.length];
        int plane = a.height() * a.width();
        for (int i = 0; i < x.length; i++) {
            double other = b.length == 1 ? b[0] : (b.length == plane ? b[i % plane] : b[i]);
            out[i] = clamp01(ratio * x[i] + (1.0 - ratio) * other);
        }
        return new Image(a.channels(), a.height(), a.width(), out);
    }

    private static void checkFactor(String name, double factor) {
        if (!(factor >= 0) || Double.isInfinite(factor))
            throw new IllegalArgumentException(name + " must be a finite number >= 0. Received: " + factor);
    }

    private static void checkColourChannels(String what, Image img) {
        if (img.channels() != 1 && img.channels() != 3)
            throw new IllegalArgumentException(what + " needs an image with 1 or 3 channels (grey or RGB). Received: "
                    + img.channels() + " channels");
    }

    /** {@code F.adjust_brightness}: clamp(factor * x, 0, 1); 0 gives black, 1 the original. */
    public static Image adjustBrightness(Image img, double factor) {
        checkFactor("brightness factor", factor);
        float[] x = img.data(), out = new float[x.length];
        for (int i = 0; i < x.length; i++) out[i] = clamp01(factor * x[i]);
        return new Image(img.channels(), img.height(), img.width(), out);
    }

    /** {@code F.adjust_contrast}: blend with the mean of the greyscale image; 0 gives a flat grey image. */
    public static Image adjustContrast(Image img, double factor) {
        checkFactor("contrast factor", factor);
        checkColourChannels("adjust_contrast", img);
        float[] g = img.channels() == 3 ? rgbToGrayscale(img, 1).data() : img.data();
        double sum = 0;
        for (float v : g) sum += v;
        float mean = (float) (sum / g.length);
        return blend(img, new float[] {mean}, factor);
    }

    /** {@code F.adjust_saturation}: blend with the greyscale image; 0 gives grey, 1 the original; grey images pass unchanged. */
    public static Image adjustSaturation(Image img, double factor) {
        checkFactor("saturation factor", factor);
        checkColourChannels("adjust_saturation", img);
        if (img.channels() == 1) return img.copy();
        return blend(img, rgbToGrayscale(img, 1).data(), factor);
    }

    /**
     * {@code F.adjust_hue}: rotates the hue by {@code factor} of a turn (in [-0.5, 0.5]) through torchvision's
     * RGB-HSV conversion; grey images pass unchanged.
     */
    public static Image adjustHue(Image img, double factor) {
        if (!(factor >= -0.5 && factor <= 0.5))
            throw new IllegalArgumentException("hue factor must be in [-0.5, 0.5]. Received: " + factor);
        checkColourChannels("adjust_hue", img);
        if (img.channels() == 1) return img.copy();
        int plane = img.height() * img.width();
        float[] x = img.data(), out = new float[x.length];
        for (int i = 0; i < plane; i++) {
            float r = x[i], g = x[plane + i], b = x[2 * plane + i];
            float maxc = Math.max(r, Math.max(g, b)), minc = Math.min(r, Math.min(g, b));
            boolean eqc = maxc == minc;
            float cr = maxc - minc;
            float s = cr / (eqc ? 1f : maxc);
            float div = eqc ? 1f : cr;
            float rc = (maxc - r) / div, gc = (maxc - g) / div, bc = (maxc - b) / div;
            float hue;
            if (maxc == r) hue = bc - gc;
            else if (maxc == g) hue = 2f + rc - bc;
            else hue = 4f + gc - rc;
            hue = fmod(hue / 6f + 1f, 1f);
            hue = pyMod((float) (hue + factor), 1f);
            // hsv -> rgb
            float h6 = hue * 6f;
            float fi = (float) Math.floor(h6);
            float f = h6 - fi;
            int sector = Math.floorMod((int) fi, 6);
            float v = maxc;
            float p = clamp01(v * (1f - s)), q = clamp01(v * (1f - s * f)), t = clamp01(v * (1f - s * (1f - f)));
            float nr, ng, nb;
            switch (sector) {
                case 0 -> { nr = v; ng = t; nb = p; }
                case 1 -> { nr = q; ng = v; nb = p; }
                case 2 -> { nr = p; ng = v; nb = t; }
                case 3 -> { nr = p; ng = q; nb = v; }
                case 4 -> { nr = t; ng = p; nb = v; }
                default -> { nr = v; ng = p; nb = q; }
            }
            out[i] = nr;
            out[plane + i] = ng;
            out[2 * plane + i] = nb;
        }
        return new Image(3, img.height(), img.width(), out);
    }

    private static float fmod(float a, float b) {
        return a % b; // C fmod: sign of the dividend
    }

    private static float pyMod(float a, float b) {
        float r = a % b;
        return r < 0 ? r + b : r;
    }

    /**
     * {@code F.rgb_to_grayscale}: L = 0.2989 R + 0.587 G + 0.114 B (a grey image is copied), repeated into
     * {@code outChannels} (1 or 3) channels.
     */
    public static Image rgbToGrayscale(Image img, int outChannels) {
        if (outChannels != 1 && outChannels != 3)
            throw new IllegalArgumentException("num_output_channels must be 1 or 3. Received: " + outChannels);
        checkColourChannels("rgb_to_grayscale", img);
        int plane = img.height() * img.width();
        float[] x = img.data(), out = new float[outChannels * plane];
        for (int i = 0; i < plane; i++) {
            float l = img.channels() == 3 ? 0.2989f * x[i] + 0.587f * x[plane + i] + 0.114f * x[2 * plane + i] : x[i];
            for (int ch = 0; ch < outChannels; ch++) out[ch * plane + i] = l;
        }
        return new Image(outChannels, img.height(), img.width(), out);
    }

    /** {@code F.adjust_gamma}: clamp(gain * x^gamma, 0, 1); gamma < 1 brightens, gamma > 1 darkens. */
    public static Image adjustGamma(Image img, double gamma, double gain) {
        if (!(gamma >= 0) || Double.isInfinite(gamma))
            throw new IllegalArgumentException("gamma must be a finite number >= 0. Received: " + gamma);
        float[] x = img.data(), out = new float[x.length];
        for (int i = 0; i < x.length; i++) out[i] = clamp01(gain * Math.pow(x[i], gamma));
        return new Image(img.channels(), img.height(), img.width(), out);
    }

    /**
     * {@code F.adjust_sharpness}: blend with a blurred copy (kernel [[1,1,1],[1,5,1],[1,1,1]] / 13 on the
     * interior, border pixels kept); 0 blurs, 1 is the original, 2 sharpens. Images of 2 pixels or fewer
     * along an edge pass unchanged.
     */
    public static Image adjustSharpness(Image img, double factor) {
        checkFactor("sharpness factor", factor);
        int c = img.channels(), h = img.height(), w = img.width();
        if (h <= 2 || w <= 2) return img.copy();
        float[] x = img.data(), degenerate = x.clone();
        for (int ch = 0; ch < c; ch++)
            for (int y = 1; y < h - 1; y++)
                for (int xx = 1; xx < w - 1; xx++) {
                    int i = (ch * h + y) * w + xx;
                    float s = 0;
                    for (int dy = -1; dy <= 1; dy++)
                        for (int dx = -1; dx <= 1; dx++) s += x[i + dy * w + dx] * (dy == 0 && dx == 0 ? 5f : 1f);
                    degenerate[i] = s / 13f;
                }
        return blend(img, degenerate, factor);
    }

    /** {@code F.invert}: 1 - x. */
    public static Image invert(Image img) {
        float[] x = img.data(), out = new float[x.length];
        for (int i = 0; i < x.length; i++) out[i] = 1f - x[i];
        return new Image(img.channels(), img.height(), img.width(), out);
    }

    /** {@code F.solarize}: inverts the values {@code >= threshold}. */
    public static Image solarize(Image img, double threshold) {
        float[] x = img.data(), out = new float[x.length];
        for (int i = 0; i < x.length; i++) out[i] = x[i] >= threshold ? 1f - x[i] : x[i];
        return new Image(img.channels(), img.height(), img.width(), out);
    }

    /** The 8-bit value torchvision's uint8 operations would see: round(255 x), clamped to 0..255. */
    static int toByte(float v) {
        long r = Math.round(v * 255.0);
        return (int) Math.max(0, Math.min(255, r));
    }

    /** {@code F.posterize} on the 8-bit image round(255 x): keeps the top {@code bits} bits, returns value / 255. */
    public static Image posterize(Image img, int bits) {
        if (bits < 0 || bits > 8) throw new IllegalArgumentException("bits must be in 0..8. Received: " + bits);
        int mask = -(1 << (8 - bits)) & 0xFF;
        float[] x = img.data(), out = new float[x.length];
        for (int i = 0; i < x.length; i++) out[i] = (toByte(x[i]) & mask) / 255f;
        return new Image(img.channels(), img.height(), img.width(), out);
    }

    /**
     * {@code F.equalize} on the 8-bit image round(255 x), per channel, with torchvision's lookup table
     * (step = floor(sum of the histogram without its last non-zero bin / 255), lut[v] = floor((cdf[v - 1]
     * + step / 2) / step)); returns lut / 255. A channel with one non-zero bin or too few pixels stays as is.
     */
    public static Image equalize(Image img) {
        int c = img.channels(), plane = img.height() * img.width();
        float[] x = img.data(), out = new float[x.length];
        int[] bytes = new int[plane];
        for (int ch = 0; ch < c; ch++) {
            long[] hist = new long[256];
            for (int i = 0; i < plane; i++) {
                bytes[i] = toByte(x[ch * plane + i]);
                hist[bytes[i]]++;
            }
            int last = 255;
            while (last > 0 && hist[last] == 0) last--;
            long total = 0;
            for (int v = 0; v < 256; v++) if (hist[v] != 0 && v != last) total += hist[v];
            long step = total / 255;
            if (step == 0) {
                System.arraycopy(x, ch * plane, out, ch * plane, plane);
                continue;
            }
            int[] lut = new int[256];
            long cum = 0;
            for (int v = 0; v < 256; v++) {
                lut[v] = (int) Math.min(255, (cum + step / 2) / step); // pad([1, 0]) shifts the cumsum by one
                cum += hist[v];
            }
            for (int i = 0; i < plane; i++) out[ch * plane + i] = lut[bytes[i]] / 255f;
        }
        return new Image(c, img.height(), img.width(), out);
    }

    // ------------------------------------------------------------------ filters (any value range)

    /**
     * The kernel {@code F.gaussian_blur} uses: exp(-x^2 / (2 sigma^2)) at x = -(k-1)/2 .. (k-1)/2, normalised.
     */
    public static float[] gaussianKernel(int size, double sigma) {
        if (size < 1 || size % 2 == 0) throw new IllegalArgumentException("kernel size must be odd and >= 1. Received: " + size);
        if (!(sigma > 0)) throw new IllegalArgumentException("sigma must be > 0. Received: " + sigma);
        float[] k = new float[size];
        double half = (size - 1) * 0.5, sum = 0;
        for (int i = 0; i < size; i++) {
            double x = -half + i;
            double v = Math.exp(-0.5 * (x / sigma) * (x / sigma));
            k[i] = (float) v;
            sum += (float) v;
        }
        for (int i = 0; i < size; i++) k[i] = (float) (k[i] / sum);
        return k;
    }

    /**
     * {@code F.gaussian_blur(img, [kx, ky], [sigmaX, sigmaY])}: separable Gaussian with reflect padding
     * (no edge repeat) of k / 2 pixels. Preserves a constant image.
     */
    public static Image gaussianBlur(Image img, int kernelX, int kernelY, double sigmaX, double sigmaY) {
        return separable(img, gaussianKernel(kernelX, sigmaX), gaussianKernel(kernelY, sigmaY), PaddingMode.REFLECT);
    }

    /** Mean over a {@code k x k} window with reflect padding (OpenCV's {@code blur}, albumentations' Blur). */
    public static Image boxBlur(Image img, int k) {
        if (k < 1 || k % 2 == 0) throw new IllegalArgumentException("kernel size must be odd and >= 1. Received: " + k);
        float[] kernel = new float[k];
        Arrays.fill(kernel, 1f / k);
        return separable(img, kernel, kernel, PaddingMode.REFLECT);
    }

    /** Correlates every channel with {@code kx} along x and {@code ky} along y, padding as {@code mode}. */
    static Image separable(Image img, float[] kx, float[] ky, PaddingMode mode) {
        int c = img.channels(), h = img.height(), w = img.width();
        int rx = kx.length / 2, ry = ky.length / 2;
        float[] x = img.data(), tmp = new float[x.length], out = new float[x.length];
        int[] xs = new int[w + 2 * rx], ys = new int[h + 2 * ry];
        for (int i = 0; i < xs.length; i++) xs[i] = Borders.index(mode, i - rx, w);
        for (int i = 0; i < ys.length; i++) ys[i] = Borders.index(mode, i - ry, h);
        for (int p = 0; p < c * h; p++) {
            int row = p * w;
            for (int xx = 0; xx < w; xx++) {
                float s = 0;
                for (int t = 0; t < kx.length; t++) {
                    int ix = xs[xx + t];
                    s += kx[t] * (ix < 0 ? 0f : x[row + ix]);
                }
                tmp[row + xx] = s;
            }
        }
        for (int ch = 0; ch < c; ch++)
            for (int y = 0; y < h; y++)
                for (int xx = 0; xx < w; xx++) {
                    float s = 0;
                    for (int t = 0; t < ky.length; t++) {
                        int iy = ys[y + t];
                        s += ky[t] * (iy < 0 ? 0f : tmp[(ch * h + iy) * w + xx]);
                    }
                    out[(ch * h + y) * w + xx] = s;
                }
        return new Image(c, h, w, out);
    }

    /**
     * Median over a {@code k x k} window with edge replication (OpenCV's {@code medianBlur}, albumentations'
     * MedianBlur).
     */
    public static Image medianBlur(Image img, int k) {
        if (k < 1 || k % 2 == 0) throw new IllegalArgumentException("kernel size must be odd and >= 1. Received: " + k);
        int c = img.channels(), h = img.height(), w = img.width(), r = k / 2;
        float[] x = img.data(), out = new float[x.length], win = new float[k * k];
        for (int ch = 0; ch < c; ch++)
            for (int y = 0; y < h; y++)
                for (int xx = 0; xx < w; xx++) {
                    int n = 0;
                    for (int dy = -r; dy <= r; dy++) {
                        int row = (ch * h + Borders.clamp(y + dy, h)) * w;
                        for (int dx = -r; dx <= r; dx++) win[n++] = x[row + Borders.clamp(xx + dx, w)];
                    }
                    Arrays.sort(win);
                    out[(ch * h + y) * w + xx] = win[k * k / 2];
                }
        return new Image(c, h, w, out);
    }

    // ------------------------------------------------------------------ value transforms

    /** {@code F.normalize}: (x - mean[c]) / std[c]; one mean/std pair applies to every channel. */
    public static Image normalize(Image img, float[] mean, float[] std) {
        int c = img.channels(), plane = img.height() * img.width();
        if ((mean.length != 1 && mean.length != c) || mean.length != std.length)
            throw new IllegalArgumentException("normalize needs 1 or " + c + " means and as many stds. Received: " + mean.length
                    + " means, " + std.length + " stds");
        float[] x = img.data(), out = new float[x.length];
        for (int ch = 0; ch < c; ch++) {
            float m = mean[mean.length == 1 ? 0 : ch], s = std[std.length == 1 ? 0 : ch];
            for (int i = 0; i < plane; i++) out[ch * plane + i] = (x[ch * plane + i] - m) / s;
        }
        return new Image(c, img.height(), img.width(), out);
    }

    /**
     * {@code F.erase}: sets the {@code height x width} block at {@code (top, left)} to {@code value} (1 value
     * for all channels, one per channel, or {@code channels * height * width} values as a patch).
     */
    public static Image erase(Image img, int top, int left, int height, int width, float[] value) {
        int c = img.channels(), h = img.height(), w = img.width();
        if (top < 0 || left < 0 || height < 0 || width < 0 || top + height > h || left + width > w)
            throw new IllegalArgumentException("erase block " + height + "x" + width + " at (" + top + ", " + left
                    + ") does not fit in a " + h + "x" + w + " image");
        int per = value.length == c * height * width ? 2 : (value.length == c ? 1 : (value.length == 1 ? 0 : -1));
        if (per < 0)
            throw new IllegalArgumentException("erase value needs 1, " + c + " or " + c * height * width + " values. Received: " + value.length);
        float[] out = img.data().clone();
        for (int ch = 0; ch < c; ch++)
            for (int y = 0; y < height; y++)
                for (int x = 0; x < width; x++) {
                    float v = switch (per) {
                        case 0 -> value[0];
                        case 1 -> value[ch];
                        default -> value[(ch * height + y) * width + x];
                    };
                    out[(ch * h + top + y) * w + left + x] = v;
                }
        return new Image(c, h, w, out);
    }
}
