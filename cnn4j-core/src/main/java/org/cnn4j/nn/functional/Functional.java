package org.cnn4j.nn.functional;

import org.cnn4j.autograd.ops.Conv2dOp;
import org.cnn4j.autograd.ops.ConvLayoutOp;
import org.cnn4j.autograd.ops.ConvNdOp;
import org.cnn4j.autograd.ops.ConvPadOp;
import org.cnn4j.autograd.ops.ConvTransposeOp;
import org.cnn4j.kernels.Conv2dGeometry;
import org.cnn4j.kernels.ConvNdGeometry;
import org.cnn4j.kernels.ConvPad;
import org.cnn4j.nn.ConvArithmetic;
import org.cnn4j.nn.Padding;
import org.cnn4j.nn.PaddingMode;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;

import java.util.Arrays;
import java.util.function.Function;

/**
 * Convolutions with explicit weights, as {@code torch.nn.functional.conv1d/conv2d/conv3d/conv_transpose*} and
 * {@code tf.nn.conv2d}: apply a hand-made filter bank without a layer. Gradients flow to input, weight and bias
 * like any other op. The layers ({@code Conv1d}...{@code ConvTranspose3d}) call the same code.
 *
 * <pre>{@code
 * // seven 7x7 line filters, TensorFlow "same" padding: [N, 1, H, W] -> [N, 7, H, W]
 * Tensor maps = Functional.conv2d(images, filters, null, ConvOptions.DEFAULT.padding(Padding.SAME));
 * // depthwise 3x3, stride 2
 * Tensor y = Functional.conv2d(x, w, b, ConvOptions.DEFAULT.stride(2).padding(1).groups(x.size(1)));
 * }</pre>
 *
 * Shapes: input {@code [N, C, *spatial]}; conv weight {@code [O, C/groups, *kernel]}; transposed weight
 * {@code [C, O/groups, *kernel]}; bias {@code [O]} or null.
 */
public final class Functional {
    private Functional() {}

    public static Tensor conv1d(Tensor x, Tensor weight, Tensor bias, ConvOptions options) {
        return conv(1, x, weight, bias, options, errors("conv1d"));
    }

    public static Tensor conv2d(Tensor x, Tensor weight, Tensor bias, ConvOptions options) {
        return conv(2, x, weight, bias, options, errors("conv2d"));
    }

    /** {@code conv2d} with stride 1, no padding. */
    public static Tensor conv2d(Tensor x, Tensor weight, Tensor bias) {
        return conv2d(x, weight, bias, ConvOptions.DEFAULT);
    }

    public static Tensor conv3d(Tensor x, Tensor weight, Tensor bias, ConvOptions options) {
        return conv(3, x, weight, bias, options, errors("conv3d"));
    }

    public static Tensor convTranspose1d(Tensor x, Tensor weight, Tensor bias, ConvOptions options) {
        return convTranspose(1, x, weight, bias, options, errors("conv_transpose1d"));
    }

    public static Tensor convTranspose2d(Tensor x, Tensor weight, Tensor bias, ConvOptions options) {
        return convTranspose(2, x, weight, bias, options, errors("conv_transpose2d"));
    }

    public static Tensor convTranspose3d(Tensor x, Tensor weight, Tensor bias, ConvOptions options) {
        return convTranspose(3, x, weight, bias, options, errors("conv_transpose3d"));
    }

    /**
     * {@code tf.nn.conv2d}: input NHWC {@code [N, H, W, C]}, filters HWIO {@code [kh, kw, C/groups, O]}, result
     * NHWC. Options as for {@link #conv2d} (e.g. {@code ConvOptions.DEFAULT.stride(2).padding("same")}).
     */
    public static Tensor conv2dNhwc(Tensor x, Tensor filters, Tensor bias, ConvOptions options) {
        if (x.rank() != 4)
            throw new IllegalArgumentException("conv2d (NHWC): expected input [N, H, W, C], got " + Shape.str(x.shape()));
        if (filters.rank() != 4)
            throw new IllegalArgumentException("conv2d (NHWC): expected filters [kh, kw, in_channels, out_channels], got "
                    + Shape.str(filters.shape()));
        Tensor nchw = ConvLayoutOp.permute(x, 0, 3, 1, 2);
        Tensor oihw = ConvLayoutOp.permute(filters, 3, 2, 0, 1);
        return ConvLayoutOp.permute(conv2d(nchw, oihw, bias, options), 0, 2, 3, 1);
    }

    /**
     * Pads the spatial axes of {@code [N, C, *spatial]} (rank = x.rank() - 2) with explicit sizes in the forms of
     * {@link Padding#of(int...)} (e.g. (top, bottom, left, right)) and the given mode.
     */
    public static Tensor pad(Tensor x, Padding padding, PaddingMode mode) {
        int rank = x.rank() - 2;
        if (rank < 1 || rank > 3)
            throw new IllegalArgumentException("pad: expected input [N, C, L], [N, C, H, W] or [N, C, D, H, W], got "
                    + Shape.str(x.shape()));
        if (padding.mode() == Padding.Mode.SAME)
            throw new IllegalArgumentException("pad: 'same' depends on a kernel; give explicit sizes");
        int[] in = Arrays.copyOfRange(x.shape(), 2, x.rank()), ones = new int[rank];
        Arrays.fill(ones, 1);
        int[][] p = padding.resolve(in, ones, ones, ones);
        checkModePadding(mode, in, p[0], p[1], errors("pad"));
        return ConvPadOp.apply(x, p[0], p[1], kernelMode(mode));
    }

    // ------------------------------------------------------------------ the shared implementation

    /**
     * The geometry of a 2-D convolution of x by w when {@link #conv} would run it as one {@link Conv2dOp} on x
     * itself (groups 1, dilation 1, no padding-mode copy) on valid shapes; null otherwise (then {@link #conv}
     * gives the answer or the error). For fused ops that start with such a convolution.
     */
    public static Conv2dGeometry plainConv2dGeometry(Tensor x, Tensor w, ConvOptions o) {
        int[] xs = x.shape(), ws = w.shape();
        if (xs.length != 4 || ws.length != 4 || o.groups() != 1 || xs[1] != ws[1]) return null;
        int[] kernel = {ws[2], ws[3]}, in = {xs[2], xs[3]};
        int[] stride, dilation;
        int[][] pads;
        try {
            stride = ConvOptions.perAxis("stride", o.stride(), 2);
            dilation = ConvOptions.perAxis("dilation", o.dilation(), 2);
            pads = o.padding().resolve(in, kernel, stride, dilation);
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (dilation[0] != 1 || dilation[1] != 1) return null;
        if (o.paddingMode() != PaddingMode.ZEROS && !allZero(pads[0], pads[1])) return null;
        for (int a = 0; a < 2; a++)
            if (in[a] + pads[0][a] + pads[1][a] < kernel[a]) return null;
        return new Conv2dGeometry(xs[0], xs[1], in[0], in[1], ws[0], kernel[0], kernel[1], stride[0], stride[1],
                pads[0][0], pads[0][1], pads[1][0], pads[1][1]);
    }

    /**
     * A {@code rank}-D convolution; shape problems are reported through {@code error} (layers pass one that names
     * them). Routes groups 1 / dilation 1 / 2-D to the tuned {@link Conv2dOp}, everything else to
     * {@link ConvNdOp}; a padding mode other than zeros pads explicitly first, as PyTorch does.
     */
    public static Tensor conv(int rank, Tensor x, Tensor w, Tensor b, ConvOptions o,
                              Function<String, IllegalArgumentException> error) {
        int[] xs = x.shape(), ws = w.shape();
        if (ws.length != rank + 2)
            throw error.apply("weight must be [out_channels, in_channels/groups, " + axes(rank, "k") + "], got "
                    + Shape.str(ws));
        if (xs.length != rank + 2)
            throw error.apply("expected input " + inputDims(rank) + ", got " + Shape.str(xs) + " (rank " + xs.length + ")");
        int out = ws[0], groups = o.groups(), cg = ws[1];
        if (out % groups != 0)
            throw error.apply("out_channels " + out + " (weight " + Shape.str(ws) + ") is not divisible by groups "
                    + groups);
        if (xs[1] != cg * groups)
            throw error.apply("input " + Shape.str(xs) + " has " + xs[1] + " channels, expected " + cg * groups
                    + (groups == 1 ? "" : " (weight " + Shape.str(ws) + ": in_channels/groups = " + cg + ", groups = "
                    + groups + ")"));
        checkBias(b, out, error);
        int[] kernel = Arrays.copyOfRange(ws, 2, ws.length), in = Arrays.copyOfRange(xs, 2, xs.length);
        int[] stride = perAxis("stride", o.stride(), rank, error), dilation = perAxis("dilation", o.dilation(), rank, error);
        int[][] pads = resolve(o.padding(), in, kernel, stride, dilation, error);
        int[] before = pads[0], after = pads[1];
        if (o.paddingMode() != PaddingMode.ZEROS && !allZero(before, after)) {
            checkModePadding(o.paddingMode(), in, before, after, error);
            x = ConvPadOp.apply(x, before, after, kernelMode(o.paddingMode()));
            for (int a = 0; a < rank; a++) in[a] += before[a] + after[a];
            before = new int[rank];
            after = new int[rank];
        }
        int bad = -1;
        for (int a = rank - 1; a >= 0; a--)
            if (in[a] + before[a] + after[a] < (long) dilation[a] * (kernel[a] - 1) + 1) bad = a;
        if (bad >= 0) {
            int[] extent = new int[rank], padded = new int[rank];
            boolean dilated = false;
            for (int a = 0; a < rank; a++) {
                extent[a] = dilation[a] * (kernel[a] - 1) + 1;
                padded[a] = in[a] + before[a] + after[a];
                dilated |= dilation[a] != 1;
            }
            throw error.apply("kernel " + joined(kernel) + (dilated ? " dilated to " + joined(extent) : "")
                    + " is larger than the padded input " + joined(padded) + " of input " + Shape.str(xs)
                    + " (O = (I - F + 2P) / S + 1 would be < 1; along " + axisName(rank, bad) + ": "
                    + ConvArithmetic.outputSizeFormula(in[bad], kernel[bad], before[bad], after[bad], stride[bad],
                    dilation[bad]) + ")");
        }
        int n = xs[0], c = xs[1];
        if (rank == 2 && groups == 1 && dilation[0] == 1 && dilation[1] == 1)
            return Conv2dOp.apply(x, w, b, new Conv2dGeometry(n, c, in[0], in[1], out, kernel[0], kernel[1], stride[0],
                    stride[1], before[0], before[1], after[0], after[1]));
        return ConvNdOp.apply(x, w, b, ConvNdGeometry.conv(n, c, out, groups, in, kernel, stride, dilation, before, after));
    }

    /**
     * A {@code rank}-D transposed convolution (the adjoint of the convolution with the same options); output size
     * {@code (I - 1)*S - P_before - P_after + D*(F-1) + output_padding + 1} per axis.
     */
    public static Tensor convTranspose(int rank, Tensor x, Tensor w, Tensor b, ConvOptions o,
                                       Function<String, IllegalArgumentException> error) {
        int[] xs = x.shape(), ws = w.shape();
        if (ws.length != rank + 2)
            throw error.apply("weight must be [in_channels, out_channels/groups, " + axes(rank, "k") + "], got "
                    + Shape.str(ws));
        if (xs.length != rank + 2)
            throw error.apply("expected input " + inputDims(rank) + ", got " + Shape.str(xs) + " (rank " + xs.length + ")");
        int cin = ws[0], groups = o.groups(), cout = ws[1] * groups;
        if (cin % groups != 0)
            throw error.apply("in_channels " + cin + " (weight " + Shape.str(ws) + ") is not divisible by groups " + groups);
        if (xs[1] != cin)
            throw error.apply("input " + Shape.str(xs) + " has " + xs[1] + " channels, expected " + cin + " (weight "
                    + Shape.str(ws) + " is [in_channels, out_channels/groups, ...])");
        checkBias(b, cout, error);
        if (o.padding().mode() == Padding.Mode.SAME)
            throw error.apply("padding 'same' is not supported for transposed convolutions (as in PyTorch); give "
                    + "explicit padding");
        if (o.paddingMode() != PaddingMode.ZEROS)
            throw error.apply("only 'zeros' padding_mode is supported for transposed convolutions (as in PyTorch). "
                    + "Received: padding_mode='" + o.paddingMode() + "'");
        int[] kernel = Arrays.copyOfRange(ws, 2, ws.length), in = Arrays.copyOfRange(xs, 2, xs.length);
        int[] stride = perAxis("stride", o.stride(), rank, error), dilation = perAxis("dilation", o.dilation(), rank, error);
        int[] outPad = perAxis("output_padding", o.outputPadding(), rank, error);
        int[][] pads = resolve(o.padding(), in, kernel, stride, dilation, error);
        int[] out = new int[rank];
        for (int a = 0; a < rank; a++) {
            if (outPad[a] >= Math.max(stride[a], dilation[a]))
                throw error.apply("output_padding " + outPad[a] + " along " + axisName(rank, a) + " must be smaller than "
                        + "either stride (" + stride[a] + ") or dilation (" + dilation[a] + ")");
            out[a] = ConvArithmetic.transposedOutputSize(in[a], kernel[a], stride[a], pads[0][a], pads[1][a], dilation[a],
                    outPad[a]);
            if (out[a] < 1)
                throw error.apply("output size below 1 along " + axisName(rank, a) + " for input " + Shape.str(xs) + ": "
                        + ConvArithmetic.transposedOutputFormula(in[a], kernel[a], stride[a], pads[0][a], pads[1][a],
                        dilation[a], outPad[a]));
        }
        return ConvTransposeOp.apply(x, w, b, ConvNdGeometry.transposed(xs[0], cin, cout, groups, in, out, kernel, stride,
                dilation, pads[0]));
    }

    // ------------------------------------------------------------------ helpers

    private static Function<String, IllegalArgumentException> errors(String op) {
        return msg -> new IllegalArgumentException(op + ": " + msg);
    }

    private static void checkBias(Tensor b, int channels, Function<String, IllegalArgumentException> error) {
        if (b != null && (b.rank() != 1 || b.size(0) != channels))
            throw error.apply("bias must be [" + channels + "] (one per output channel), got " + Shape.str(b.shape()));
    }

    private static int[] perAxis(String name, int[] v, int rank, Function<String, IllegalArgumentException> error) {
        try {
            return ConvOptions.perAxis(name, v, rank);
        } catch (IllegalArgumentException e) {
            throw error.apply(e.getMessage());
        }
    }

    private static int[][] resolve(Padding p, int[] in, int[] kernel, int[] stride, int[] dilation,
                                   Function<String, IllegalArgumentException> error) {
        try {
            return p.resolve(in, kernel, stride, dilation);
        } catch (IllegalArgumentException e) {
            throw error.apply(e.getMessage());
        }
    }

    private static boolean allZero(int[] before, int[] after) {
        for (int i = 0; i < before.length; i++) if (before[i] != 0 || after[i] != 0) return false;
        return true;
    }

    /** PyTorch's limits: reflect padding below the input size, circular at most the input size. */
    private static void checkModePadding(PaddingMode mode, int[] in, int[] before, int[] after,
                                         Function<String, IllegalArgumentException> error) {
        int rank = in.length;
        for (int a = 0; a < rank; a++) {
            int worst = Math.max(before[a], after[a]);
            if (mode == PaddingMode.REFLECT && worst >= in[a])
                throw error.apply("reflect padding (" + before[a] + ", " + after[a] + ") along " + axisName(rank, a)
                        + " must be smaller than the input size " + in[a]);
            if (mode == PaddingMode.CIRCULAR && worst > in[a])
                throw error.apply("circular padding (" + before[a] + ", " + after[a] + ") along " + axisName(rank, a)
                        + " must be at most the input size " + in[a]);
        }
    }

    private static ConvPad.Mode kernelMode(PaddingMode m) {
        return ConvPad.Mode.valueOf(m.name());
    }

    private static String joined(int[] v) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < v.length; i++) sb.append(i == 0 ? "" : "x").append(v[i]);
        return sb.toString();
    }

    private static String axisName(int rank, int axis) {
        String[] names = rank == 1 ? new String[] {"L"} : rank == 2 ? new String[] {"H", "W"} : new String[] {"D", "H", "W"};
        return names[axis];
    }

    private static String axes(int rank, String prefix) {
        StringBuilder sb = new StringBuilder();
        for (int a = 0; a < rank; a++) sb.append(a == 0 ? "" : ", ").append(prefix).append(axisName(rank, a));
        return sb.toString();
    }

    private static String inputDims(int rank) {
        return rank == 1 ? "[N, C, L]" : rank == 2 ? "[N, C, H, W]" : "[N, C, D, H, W]";
    }
}
