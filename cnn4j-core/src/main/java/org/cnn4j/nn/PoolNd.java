package org.cnn4j.nn;

import org.cnn4j.autograd.ops.Pool2dOp;
import org.cnn4j.autograd.ops.PoolNdOp;
import org.cnn4j.kernels.NormKernels;
import org.cnn4j.kernels.PoolKernels;
import org.cnn4j.kernels.Pool2dGeometry;
import org.cnn4j.kernels.PoolNdGeometry;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;

import java.util.Arrays;
import java.util.function.Function;

/**
 * Shared configuration and forward of window pooling in 1, 2 or 3 dimensions (MaxPool, MinPool, AvgPool,
 * LPPool), as PyTorch 1.13: window {@code k}, stride defaulting to the window, symmetric padding at most
 * {@code k/2}, dilation (max and min only), ceil mode, and for average pooling count_include_pad and
 * divisor_override. Output size per axis
 * {@code O = floor((I + 2P - D*(K-1) - 1) / S) + 1} (ceil instead of floor in ceil mode, where the last
 * window must start inside the input or the left padding). Inputs are batched: {@code [N, C, L]},
 * {@code [N, C, H, W]} or {@code [N, C, D, H, W]}.
 *
 * <p>Each layer has short constructors for the common cases and a builder for the rest:
 * <pre>{@code
 * new MaxPool2d(3, 2, 1)
 * MaxPool3d.builder(3).stride(2).padding(1).dilation(2).ceilMode(true).build()
 * AvgPool1d.builder(4).stride(3).padding(2).countIncludePad(false).build()
 * }</pre>
 */
public abstract class PoolNd extends Module {
    /** Which reduction a window pool applies. */
    enum Kind { MAX, MIN, AVG, LP }

    private final Kind kind;
    private final int dims;
    private final int[] kernel, stride, padding, dilation;
    private final boolean ceilMode, countIncludePad;
    private final int divisorOverride;
    private final double normType;

    PoolNd(Builder<?> b) {
        this.kind = b.kind;
        this.dims = b.dims;
        String name = getClass().getSimpleName();
        String received = "Received: kernel_size=" + tuple(b.kernel) + ", stride=" + tuple(b.stride == null ? b.kernel : b.stride)
                + ", padding=" + tuple(b.padding) + (kind == Kind.MAX || kind == Kind.MIN ? ", dilation=" + tuple(b.dilation) : "")
                + ", ceil_mode=" + b.ceilMode
                + (kind == Kind.AVG ? ", count_include_pad=" + b.countIncludePad + ", divisor_override=" + b.divisorOverride : "")
                + (kind == Kind.LP ? ", norm_type=" + b.normType : "");
        kernel = expand(name, "kernel_size", b.kernel, received);
        stride = b.stride == null ? kernel.clone() : expand(name, "stride", b.stride, received);
        padding = expand(name, "padding", b.padding, received);
        dilation = expand(name, "dilation", b.dilation, received);
        for (int a = 0; a < dims; a++) {
            if (kernel[a] <= 0) throw new IllegalArgumentException(name + ": kernel_size must be positive. " + received);
            if (stride[a] <= 0) throw new IllegalArgumentException(name + ": stride must be positive. " + received);
            if (dilation[a] <= 0) throw new IllegalArgumentException(name + ": dilation must be positive. " + received);
            if (padding[a] < 0 || padding[a] > kernel[a] / 2)
                throw new IllegalArgumentException(name + ": padding must be between 0 and half the kernel size (padding "
                        + padding[a] + " > kernel " + kernel[a] + " / 2 = " + kernel[a] / 2 + "). " + received);
        }
        if ((kind == Kind.AVG || kind == Kind.LP) && Arrays.stream(dilation).anyMatch(d -> d != 1))
            throw new IllegalArgumentException(name + ": dilation is only supported by max and min pooling. Received: dilation="
                    + tuple(b.dilation));
        if (kind == Kind.LP && Arrays.stream(padding).anyMatch(p -> p != 0))
            throw new IllegalArgumentException(name + ": LP pooling has no padding (as PyTorch's LPPool). Received: padding="
                    + tuple(b.padding));
        if (kind != Kind.AVG && (!b.countIncludePad || b.divisorOverride != 0))
            throw new IllegalArgumentException(name + ": count_include_pad and divisor_override apply to average pooling only. "
                    + "Received: count_include_pad=" + b.countIncludePad + ", divisor_override=" + b.divisorOverride);
        if (kind == Kind.LP && !(b.normType > 0 && Double.isFinite(b.normType)))
            throw new IllegalArgumentException(name + ": norm_type must be positive and finite. Received: norm_type=" + b.normType);
        ceilMode = b.ceilMode;
        countIncludePad = b.countIncludePad;
        divisorOverride = b.divisorOverride;
        normType = b.normType;
    }

    private int[] expand(String name, String what, int[] v, String received) {
        if (v == null || (v.length != 1 && v.length != dims))
            throw new IllegalArgumentException(name + ": " + what + " needs 1 or " + dims + " values. " + received);
        int[] out = new int[dims];
        for (int a = 0; a < dims; a++) out[a] = v[v.length == 1 ? 0 : a];
        return out;
    }

    private static String tuple(int[] v) {
        if (v == null) return "None";
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < v.length; i++) sb.append(i > 0 ? ", " : "").append(v[i]);
        return sb.append(v.length == 1 ? ",)" : ")").toString();
    }

    /** True for a 2-D max pool with a 2x2 window, stride 2, no padding, no dilation, floor mode (a fusable block tail). */
    final boolean isMaxPool2x2() {
        return kind == Kind.MAX && dims == 2 && !ceilMode && kernel[0] == 2 && kernel[1] == 2 && stride[0] == 2
                && stride[1] == 2 && padding[0] == 0 && padding[1] == 0 && dilation[0] == 1 && dilation[1] == 1;
    }

    /** True for any 2-D max pool (BatchNorm's fused block tail takes it when its kernels suit the geometry). */
    final boolean isMaxPool2d() {
        return kind == Kind.MAX && dims == 2;
    }

    /**
     * For a 2-D max pool other than {@link #isMaxPool2x2} whose planes suit the fused batch norm / ReLU / pool kernels
     * ({@link NormKernels#supportsReluMaxPool}), its geometry for an input of shape {@code s}; null otherwise.
     */
    final PoolNdGeometry fusableMaxPoolGeometry(int[] s) {
        if (!isMaxPool2d() || isMaxPool2x2() || s.length != 4) return null;
        PoolNdGeometry g = geometry(s);
        return NormKernels.supportsReluMaxPool(g) ? g : null;
    }

    // ---------------------------------------------------------------- forward

    @Override
    public final Tensor forward(Tensor input) {
        PoolNdGeometry g = geometry(input.shape());
        return switch (kind) {
            case MAX -> {
                // 2x2 stride 2 has its own kernel (byte window); every other window runs PoolNd's vector rows
                if (dims == 2 && !g.dilated() && g.sameAsFloor()) {
                    Pool2dGeometry g2 = geometry2d(g);
                    if (PoolKernels.hasVectorPath(g2)) yield Pool2dOp.max(input, g2);
                }
                yield PoolNdOp.maxOrMin(input, g, false);
            }
            case MIN -> PoolNdOp.maxOrMin(input, g, true);
            case AVG -> PoolNdOp.avg(input, g, countIncludePad, divisorOverride);
            case LP -> PoolNdOp.lp(input, g, normType);
        };
    }

    private static Pool2dGeometry geometry2d(PoolNdGeometry g) {
        return new Pool2dGeometry(g.batch(), g.channels(), g.in(1), g.in(2), g.kernel(1), g.kernel(2), g.stride(1),
                g.stride(2), g.pad(1), g.pad(2));
    }

    /** The geometry for an input of shape {@code s}; errors name this layer, the shape and the formula. */
    protected final PoolNdGeometry geometry(int[] s) {
        checkRank(this, dims, s);
        int[] in = Arrays.copyOfRange(s, 2, s.length);
        for (int a = 0; a < dims; a++) {
            if (in[a] <= 0) throw shapeError("input " + Shape.str(s) + " has an empty spatial axis");
            int o = PoolNdGeometry.outputSize(in[a], kernel[a], stride[a], padding[a], dilation[a], ceilMode);
            if (o < 1)
                throw shapeError("output size below 1 along " + axisName(dims, a) + " for input " + Shape.str(s) + ": "
                        + PoolNdGeometry.formula(in[a], kernel[a], stride[a], padding[a], dilation[a], ceilMode));
        }
        return new PoolNdGeometry(s[0], s[1], in, kernel, stride, padding, dilation, ceilMode);
    }

    /** Fails, naming {@code layer}, unless {@code s} is a batch of {@code dims}-D inputs, {@code [N, C, spatial...]}. */
    static void checkRank(Module layer, int dims, int[] s) {
        if (s.length != dims + 2)
            throw layer.shapeError("expected input " + layout(dims) + " (rank " + (dims + 2) + "), got " + Shape.str(s)
                    + " (rank " + s.length + ")");
    }

    /** {@link #checkRank}, and no spatial axis may be empty (the adaptive and global pools' input check). */
    static void checkInput(Module layer, int dims, int[] s) {
        checkRank(layer, dims, s);
        for (int a = 2; a < s.length; a++)
            if (s[a] <= 0) throw layer.shapeError("input " + Shape.str(s) + " has an empty spatial axis");
    }

    static String layout(int dims) {
        return switch (dims) {
            case 1 -> "[N, C, L]";
            case 2 -> "[N, C, H, W]";
            default -> "[N, C, D, H, W]";
        };
    }

    static String axisName(int dims, int a) {
        return switch (dims) {
            case 1 -> "L";
            case 2 -> a == 0 ? "H" : "W";
            default -> "DHW".substring(a, a + 1);
        };
    }

    // ---------------------------------------------------------------- description and accessors

    @Override
    public String describe() {
        StringBuilder sb = new StringBuilder(getClass().getSimpleName());
        if (kind == Kind.LP) sb.append(" p").append(normType == Math.rint(normType) ? String.valueOf((long) normType) : String.valueOf(normType)).append(',');
        sb.append(" k").append(compact(kernel)).append(", s").append(compact(stride));
        if (Arrays.stream(padding).anyMatch(p -> p != 0)) sb.append(", p").append(compact(padding));
        if (Arrays.stream(dilation).anyMatch(d -> d != 1)) sb.append(", d").append(compact(dilation));
        if (ceilMode) sb.append(", ceil");
        if (!countIncludePad) sb.append(", exclude pad");
        if (divisorOverride != 0) sb.append(", divisor ").append(divisorOverride);
        return sb.toString();
    }

    private static String compact(int[] v) {
        boolean same = Arrays.stream(v).allMatch(x -> x == v[0]);
        if (same) return String.valueOf(v[0]);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < v.length; i++) sb.append(i > 0 ? "x" : "").append(v[i]);
        return sb.toString();
    }

    /** Number of spatial axes (1, 2 or 3). */
    public final int spatialDims() {
        return dims;
    }

    public final int[] kernelSize() {
        return kernel.clone();
    }

    public final int[] stride() {
        return stride.clone();
    }

    public final int[] padding() {
        return padding.clone();
    }

    public final int[] dilation() {
        return dilation.clone();
    }

    public final boolean ceilMode() {
        return ceilMode;
    }

    /** Average pooling: whether padded cells count in the divisor (PyTorch's default true). */
    public final boolean countIncludePad() {
        return countIncludePad;
    }

    /** Average pooling: the fixed divisor, or 0 when none. */
    public final int divisorOverride() {
        return divisorOverride;
    }

    // ---------------------------------------------------------------- builder

    /**
     * Options of a window pool; each layer class has a {@code builder(kernel...)}. Arrays take one value for
     * every axis or one value per axis (outermost first). Options a pool does not have (dilation for
     * average and LP pooling, count_include_pad and divisor_override for max and min, padding for LP) are
     * rejected at {@link #build()}.
     */
    public static final class Builder<T extends PoolNd> {
        final Kind kind;
        final int dims;
        private final Function<Builder<T>, T> make;
        int[] kernel, stride, padding = {0}, dilation = {1};
        boolean ceilMode, countIncludePad = true;
        int divisorOverride;
        double normType = 2;

        Builder(Kind kind, int dims, Function<Builder<T>, T> make, int... kernel) {
            this.kind = kind;
            this.dims = dims;
            this.make = make;
            this.kernel = kernel.clone();
        }

        public Builder<T> kernel(int... k) {
            kernel = k.clone();
            return this;
        }

        /** Defaults to the kernel size. */
        public Builder<T> stride(int... s) {
            stride = s.clone();
            return this;
        }

        /** Symmetric implicit padding, at most half the kernel; for max and min pooling padded cells never win. */
        public Builder<T> padding(int... p) {
            padding = p.clone();
            return this;
        }

        /** Spacing of the window's taps (max and min pooling only). */
        public Builder<T> dilation(int... d) {
            dilation = d.clone();
            return this;
        }

        /** Ceil instead of floor in the output size; the last window must still start inside the input or left padding. */
        public Builder<T> ceilMode(boolean on) {
            ceilMode = on;
            return this;
        }

        /** Average pooling: whether padded cells count in the divisor (default true, as PyTorch). */
        public Builder<T> countIncludePad(boolean on) {
            countIncludePad = on;
            return this;
        }

        /** Average pooling: divide every window sum by this instead (non-zero). */
        public Builder<T> divisorOverride(int divisor) {
            if (divisor == 0)
                throw new IllegalArgumentException("divisor_override must be non-zero. Received: divisor_override=0");
            divisorOverride = divisor;
            return this;
        }

        Builder<T> normType(double p) {
            normType = p;
            return this;
        }

        public T build() {
            return make.apply(this);
        }
    }
}
