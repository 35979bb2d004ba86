package org.cnn4j.nn;

import org.cnn4j.nn.functional.ConvOptions;
import org.cnn4j.nn.functional.Functional;
import org.cnn4j.tensor.Rng;
import org.cnn4j.tensor.Tensor;

import java.util.Arrays;

/**
 * The convolution layers' common part (PyTorch's {@code _ConvNd}): hyper-parameters checked at construction,
 * weight and bias with PyTorch's names, shapes and default initialisation, forward through {@link Functional}.
 *
 * <p>Weight {@code [out, in/groups, *kernel]} for a convolution, {@code [in, out/groups, *kernel]} for a transposed
 * one. Default initialisation as PyTorch: weight kaiming_uniform(a=sqrt(5)) = U(-1/sqrt(fan_in), 1/sqrt(fan_in)),
 * bias U(-1/sqrt(fan_in), 1/sqrt(fan_in)), with fan_in = weight.shape[1] * kernel volume and fan_out =
 * weight.shape[0] * kernel volume (so fan_in = in/groups * kvol for a convolution, out/groups * kvol for a
 * transposed one).
 */
public abstract class ConvLayer extends Module {
    private final int rank, inChannels, outChannels;
    private final boolean transposed;
    private final int[] kernel;
    private final ConvOptions options;
    private final Parameter weight, bias;

    protected ConvLayer(int rank, boolean transposed, Builder<?, ?> b) {
        this.rank = rank;
        this.transposed = transposed;
        String layer = (transposed ? "ConvTranspose" : "Conv") + rank + "d";
        String received = "Received: in_channels=" + b.in + ", out_channels=" + b.out + ", kernel_size="
                + Arrays.toString(b.kernel) + ", stride=" + Arrays.toString(b.stride) + ", padding=" + b.padding
                + ", dilation=" + Arrays.toString(b.dilation) + ", groups=" + b.groups
                + (transposed ? ", output_padding=" + Arrays.toString(b.outputPadding) : "")
                + ", padding_mode='" + b.paddingMode + "'";
        if (b.in <= 0 || b.out <= 0)
            throw new IllegalArgumentException(layer + ": in_channels and out_channels must be positive. " + received);
        int[] k = axes(rank, layer, "kernel_size", b.kernel, 1, received);
        int[] s = axes(rank, layer, "stride", b.stride, 1, received);
        int[] d = axes(rank, layer, "dilation", b.dilation, 1, received);
        int[] op = axes(rank, layer, "output_padding", b.outputPadding, 0, received);
        if (b.groups <= 0)
            throw new IllegalArgumentException(layer + ": groups must be positive. " + received);
        if (b.in % b.groups != 0)
            throw new IllegalArgumentException(layer + ": in_channels must be divisible by groups ("
                    + b.in + " % " + b.groups + " = " + b.in % b.groups + "). " + received);
        if (b.out % b.groups != 0)
            throw new IllegalArgumentException(layer + ": out_channels must be divisible by groups ("
                    + b.out + " % " + b.groups + " = " + b.out % b.groups + "). " + received);
        try {
            b.padding.validate(rank);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(layer + ": " + e.getMessage() + ". " + received);
        }
        if (transposed) {
            if (b.padding.mode() == Padding.Mode.SAME)
                throw new IllegalArgumentException(layer + ": padding 'same' is not supported for transposed "
                        + "convolutions (as in PyTorch); give explicit padding. " + received);
            if (b.paddingMode != PaddingMode.ZEROS)
                throw new IllegalArgumentException(layer + ": only 'zeros' padding_mode is supported for transposed "
                        + "convolutions (as in PyTorch). " + received);
            for (int a = 0; a < rank; a++)
                if (op[a] >= Math.max(s[a], d[a]))
                    throw new IllegalArgumentException(layer + ": output_padding must be smaller than either stride or "
                            + "dilation along each axis. " + received);
        } else if (!isZero(op)) {
            throw new IllegalArgumentException(layer + ": output_padding applies to transposed convolutions only. "
                    + received);
        }
        inChannels = b.in;
        outChannels = b.out;
        kernel = k;
        options = ConvOptions.DEFAULT.stride(s).padding(b.padding).dilation(d).groups(b.groups)
                .paddingMode(b.paddingMode).outputPadding(op);
        int kvol = 1;
        for (int v : k) kvol *= v;
        int[] shape = new int[rank + 2];
        shape[0] = transposed ? inChannels : outChannels;
        shape[1] = (transposed ? outChannels : inChannels) / b.groups;
        System.arraycopy(k, 0, shape, 2, rank);
        int fanIn = shape[1] * kvol, fanOut = shape[0] * kvol;
        Tensor w = Tensor.zeros(shape);
        b.init.fill(w, fanIn, fanOut, Rng.global());
        weight = registerParameter("weight", Parameter.of(w));
        if (b.bias) {
            Tensor bt = Tensor.zeros(outChannels);
            Init.PYTORCH_DEFAULT.fill(bt, fanIn, fanOut, Rng.global()); // PyTorch: U(-1/sqrt(fan_in), 1/sqrt(fan_in))
            bias = registerParameter("bias", Parameter.of(bt));
        } else {
            bias = null;
        }
    }

    private static int[] axes(int rank, String layer, String name, int[] v, int min, String received) {
        if (v.length != 1 && v.length != rank)
            throw new IllegalArgumentException(layer + ": " + name + " takes 1 or " + rank + " values. " + received);
        for (int x : v)
            if (x < min)
                throw new IllegalArgumentException(layer + ": " + name + " must be " + (min == 1 ? "positive" : "non-negative")
                        + ". " + received);
        return ConvOptions.perAxis(name, v, rank);
    }

    private static boolean isZero(int[] v) {
        for (int x : v) if (x != 0) return false;
        return true;
    }

    private static boolean isOnes(int[] v) {
        for (int x : v) if (x != 1) return false;
        return true;
    }

    @Override
    public Tensor forward(Tensor input) {
        return transposed
                ? Functional.convTranspose(rank, input, weight, bias, options, this::shapeError)
                : Functional.conv(rank, input, weight, bias, options, this::shapeError);
    }

    public Parameter weight() {
        return weight;
    }

    /** The bias, or null when built with {@code bias(false)}. */
    public Parameter bias() {
        return bias;
    }

    public int inChannels() {
        return inChannels;
    }

    public int outChannels() {
        return outChannels;
    }

    /** Number of spatial axes: 1, 2 or 3. */
    public int rank() {
        return rank;
    }

    public boolean isTransposed() {
        return transposed;
    }

    public int[] kernelSize() {
        return kernel.clone();
    }

    /** stride, padding, dilation, groups, padding mode and output padding, as the functional form takes them. */
    public ConvOptions options() {
        return options;
    }

    public int groups() {
        return options.groups();
    }

    @Override
    public String describe() {
        int groups = options.groups();
        StringBuilder sb = new StringBuilder(getClass().getSimpleName()).append(' ').append(inChannels).append("->")
                .append(outChannels).append(", k").append(joined(kernel)).append(", s")
                .append(joined(ConvOptions.perAxis("stride", options.stride(), rank))).append(", p")
                .append(options.padding());
        int[] d = ConvOptions.perAxis("dilation", options.dilation(), rank);
        if (!isOnes(d)) sb.append(", d").append(joined(d));
        int[] op = ConvOptions.perAxis("output_padding", options.outputPadding(), rank);
        if (!isZero(op)) sb.append(", op").append(joined(op));
        if (groups != 1) sb.append(", groups ").append(groups);
        if (options.paddingMode() != PaddingMode.ZEROS) sb.append(", ").append(options.paddingMode());
        if (bias == null) sb.append(", no bias");
        return sb.toString();
    }

    /** "3" when all axes agree, else "3x2". */
    private static String joined(int[] v) {
        boolean same = true;
        for (int x : v) same &= x == v[0];
        if (same) return Integer.toString(v[0]);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < v.length; i++) sb.append(i == 0 ? "" : "x").append(v[i]);
        return sb.toString();
    }

    /**
     * Hyper-parameters with PyTorch's defaults (stride 1, padding 0, dilation 1, groups 1, zeros padding, bias on,
     * PyTorch init). Per-axis setters take one value (all axes) or one per axis, outermost first.
     */
    public abstract static class Builder<B extends Builder<B, L>, L extends ConvLayer> {
        final int in, out;
        int[] kernel;
        int[] stride = {1}, dilation = {1}, outputPadding = {0};
        Padding padding = Padding.of(0);
        int groups = 1;
        PaddingMode paddingMode = PaddingMode.ZEROS;
        boolean bias = true;
        Init init = Init.PYTORCH_DEFAULT;

        protected Builder(int in, int out, int kernel) {
            this.in = in;
            this.out = out;
            this.kernel = new int[] {kernel};
        }

        @SuppressWarnings("unchecked")
        private B self() {
            return (B) this;
        }

        /** One size for all axes, or one per axis (e.g. {@code kernel(3, 2)}: 3 high, 2 wide). */
        public B kernel(int... k) {
            kernel = k.clone();
            return self();
        }

        public B stride(int... s) {
            stride = s.clone();
            return self();
        }

        /** 1, rank or 2*rank values: see {@link Padding#of(int...)}. */
        public B padding(int... p) {
            padding = Padding.of(p);
            return self();
        }

        public B padding(Padding p) {
            if (p == null) throw new IllegalArgumentException("padding must not be null");
            padding = p;
            return self();
        }

        /** "same", "valid" or numbers, as {@link Padding#parse}. */
        public B padding(String p) {
            return padding(Padding.parse(p));
        }

        public B dilation(int... d) {
            dilation = d.clone();
            return self();
        }

        /** Channel groups: in and out channels are split into {@code g} independent convolutions. */
        public B groups(int g) {
            groups = g;
            return self();
        }

        public B paddingMode(PaddingMode m) {
            if (m == null) throw new IllegalArgumentException("padding_mode must not be null");
            paddingMode = m;
            return self();
        }

        /** "zeros", "reflect", "replicate" or "circular". */
        public B paddingMode(String m) {
            return paddingMode(PaddingMode.parse(m));
        }

        public B bias(boolean on) {
            bias = on;
            return self();
        }

        public B init(Init i) {
            init = i;
            return self();
        }

        public abstract L build();
    }

    /** The builder of a transposed convolution: {@link Builder}'s options and {@code output_padding}. */
    public abstract static class TransposedBuilder<B extends TransposedBuilder<B, L>, L extends ConvLayer> extends Builder<B, L> {
        protected TransposedBuilder(int in, int out, int kernel) {
            super(in, out, kernel);
        }

        /** Extra size on one side of each output axis (below the stride or the dilation); 1 or rank values. */
        @SuppressWarnings("unchecked")
        public B outputPadding(int... op) {
            outputPadding = op.clone();
            return (B) this;
        }
    }
}
