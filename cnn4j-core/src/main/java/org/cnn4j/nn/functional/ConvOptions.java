package org.cnn4j.nn.functional;

import org.cnn4j.nn.Padding;
import org.cnn4j.nn.PaddingMode;

import java.util.Arrays;

/**
 * The hyper-parameters of a functional convolution besides its weights, as the keyword arguments of
 * {@code torch.nn.functional.conv2d}: stride, padding, dilation, groups, plus the layer options padding mode and
 * (for transposed convolutions) output padding. Immutable; every setter returns a copy:
 *
 * <pre>{@code
 * ConvOptions.DEFAULT.stride(2).padding(Padding.SAME)
 * ConvOptions.DEFAULT.padding(1).dilation(2).groups(32).paddingMode(PaddingMode.REFLECT)
 * }</pre>
 *
 * Per-axis values take one number (every axis) or one per spatial axis, outermost first; padding takes the forms
 * of {@link Padding#of(int...)}. Values are checked here (positive strides...), counts against the convolution's
 * rank when it is applied.
 */
public final class ConvOptions {
    /** stride 1, padding 0, dilation 1, groups 1, zeros padding, output padding 0. */
    public static final ConvOptions DEFAULT = new ConvOptions(new int[] {1}, Padding.of(0), new int[] {1}, 1,
            PaddingMode.ZEROS, new int[] {0});

    private final int[] stride, dilation, outputPadding;
    private final Padding padding;
    private final int groups;
    private final PaddingMode paddingMode;

    private ConvOptions(int[] stride, Padding padding, int[] dilation, int groups, PaddingMode paddingMode,
                        int[] outputPadding) {
        this.stride = stride;
        this.padding = padding;
        this.dilation = dilation;
        this.groups = groups;
        this.paddingMode = paddingMode;
        this.outputPadding = outputPadding;
    }

    public ConvOptions stride(int... s) {
        return new ConvOptions(checked("stride", s, 1), padding, dilation, groups, paddingMode, outputPadding);
    }

    public ConvOptions padding(int... p) {
        return padding(Padding.of(p));
    }

    public ConvOptions padding(Padding p) {
        if (p == null) throw new IllegalArgumentException("padding must not be null");
        return new ConvOptions(stride, p, dilation, groups, paddingMode, outputPadding);
    }

    /** "same", "valid" or numbers, as {@link Padding#parse}. */
    public ConvOptions padding(String p) {
        return padding(Padding.parse(p));
    }

    public ConvOptions dilation(int... d) {
        return new ConvOptions(stride, padding, checked("dilation", d, 1), groups, paddingMode, outputPadding);
    }

    public ConvOptions groups(int g) {
        if (g <= 0) throw new IllegalArgumentException("groups must be a positive integer. Received: groups=" + g);
        return new ConvOptions(stride, padding, dilation, g, paddingMode, outputPadding);
    }

    public ConvOptions paddingMode(PaddingMode m) {
        if (m == null) throw new IllegalArgumentException("padding_mode must not be null");
        return new ConvOptions(stride, padding, dilation, groups, m, outputPadding);
    }

    /** Extra size added to one side of each output axis of a transposed convolution. */
    public ConvOptions outputPadding(int... op) {
        return new ConvOptions(stride, padding, dilation, groups, paddingMode, checked("output_padding", op, 0));
    }

    public int[] stride() {
        return stride.clone();
    }

    public Padding padding() {
        return padding;
    }

    public int[] dilation() {
        return dilation.clone();
    }

    public int groups() {
        return groups;
    }

    public PaddingMode paddingMode() {
        return paddingMode;
    }

    public int[] outputPadding() {
        return outputPadding.clone();
    }

    /** {@code values} for {@code rank} axes (one value repeated, or one per axis), or an error naming {@code name}. */
    public static int[] perAxis(String name, int[] values, int rank) {
        if (values.length == rank) return values.clone();
        if (values.length == 1) {
            int[] r = new int[rank];
            Arrays.fill(r, values[0]);
            return r;
        }
        throw new IllegalArgumentException(name + " for a " + rank + "-D convolution takes 1 or " + rank
                + " values. Received: " + name + "=" + Arrays.toString(values));
    }

    private static int[] checked(String name, int[] v, int min) {
        if (v == null || v.length == 0 || v.length > 3)
            throw new IllegalArgumentException(name + " takes 1 to 3 values. Received: " + name + "="
                    + (v == null ? "null" : Arrays.toString(v)));
        for (int x : v)
            if (x < min)
                throw new IllegalArgumentException(name + " must be " + (min == 1 ? "positive" : "non-negative")
                        + ". Received: " + name + "=" + Arrays.toString(v));
        return v.clone();
    }

    @Override
    public String toString() {
        return "ConvOptions[stride=" + Arrays.toString(stride) + ", padding=" + padding + ", dilation="
                + Arrays.toString(dilation) + ", groups=" + groups + ", padding_mode=" + paddingMode
                + ", output_padding=" + Arrays.toString(outputPadding) + "]";
    }
}
