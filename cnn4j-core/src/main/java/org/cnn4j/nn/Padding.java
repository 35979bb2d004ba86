package org.cnn4j.nn;

import java.util.Arrays;

/**
 * Convolution padding: explicit sizes (PyTorch's int or tuple, or asymmetric before/after pairs), or Keras'
 * {@link #SAME} and {@link #VALID}.
 *
 * <p>Explicit values are read against the convolution's number of spatial axes {@code rank}: one value pads
 * every side of every axis; {@code rank} values pad both sides of each axis ({@code (h, w)} for 2-D);
 * {@code 2 * rank} values are (before, after) pairs per axis, outermost first: {@code (left, right)} for 1-D,
 * {@code (top, bottom, left, right)} for 2-D, {@code (front, back, top, bottom, left, right)} for 3-D.
 *
 * <p>"same" follows TensorFlow for every stride and dilation: the output is {@code ceil(I / S)} and the total
 * padding {@code max((ceil(I/S) - 1) * S + (F - 1) * D + 1 - I, 0)} is split with the extra pixel at the end
 * (bottom/right), which is also PyTorch's split for {@code padding='same'} (stride 1). "valid" is no padding.
 */
public final class Padding {
    public enum Mode { EXPLICIT, SAME, VALID }

    public static final Padding SAME = new Padding(Mode.SAME, new int[0]);
    public static final Padding VALID = new Padding(Mode.VALID, new int[0]);

    private final Mode mode;
    private final int[] values;

    private Padding(Mode mode, int[] values) {
        for (int v : values)
            if (v < 0)
                throw new IllegalArgumentException("padding must be non-negative. Received: padding=" + str(values));
        this.mode = mode;
        this.values = values.clone();
    }

    /** The same padding on every side of every axis. */
    public static Padding of(int p) {
        return new Padding(Mode.EXPLICIT, new int[] {p});
    }

    /** For 2-D: {@code h} above and below, {@code w} left and right. (For 1-D: left, right.) */
    public static Padding of(int h, int w) {
        return new Padding(Mode.EXPLICIT, new int[] {h, w});
    }

    /**
     * One value, one per axis, or (before, after) per axis, e.g. {@code of(top, bottom, left, right)} for 2-D;
     * see the class comment.
     */
    public static Padding of(int... values) {
        if (values.length == 0) throw new IllegalArgumentException("padding needs at least one value. Received: ()");
        return new Padding(Mode.EXPLICIT, values);
    }

    public Mode mode() {
        return mode;
    }

    /** The explicit values as given (empty for SAME and VALID). */
    public int[] values() {
        return values.clone();
    }

    /** Parses "same", "valid", "2", "1,2" or "0,1,1,2" (see {@link #of(int...)}). */
    public static Padding parse(String s) {
        String t = s.trim().toLowerCase(java.util.Locale.ROOT);
        if (t.equals("same")) return SAME;
        if (t.equals("valid")) return VALID;
        try {
            String[] parts = t.replace("(", "").replace(")", "").split(",");
            int[] v = new int[parts.length];
            for (int i = 0; i < parts.length; i++) v[i] = Integer.parseInt(parts[i].trim());
            return of(v);
        } catch (NumberFormatException ignored) {
            throw new IllegalArgumentException("padding must be 'same', 'valid', P, PH,PW or TOP,BOTTOM,LEFT,RIGHT. "
                    + "Received: '" + s + "'");
        }
    }

    /**
     * Checks that the explicit values fit a convolution with {@code rank} spatial axes (1, {@code rank} or
     * {@code 2 * rank} values).
     */
    public void validate(int rank) {
        if (mode != Mode.EXPLICIT) return;
        int n = values.length;
        if (n != 1 && n != rank && n != 2 * rank)
            throw new IllegalArgumentException("padding for a " + rank + "-D convolution takes 1, " + rank + " or "
                    + 2 * rank + " values (all sides, per axis, or (before, after) per axis). Received: padding="
                    + str(values));
    }

    /**
     * {before[], after[]} padding per spatial axis for these input sizes, kernels, strides and dilations (arrays
     * of length rank).
     */
    public int[][] resolve(int[] input, int[] kernel, int[] stride, int[] dilation) {
        int rank = input.length;
        validate(rank);
        int[] before = new int[rank], after = new int[rank];
        for (int a = 0; a < rank; a++) {
            switch (mode) {
                case VALID -> { }
                case SAME -> {
                    int[] p = ConvArithmetic.samePadding(input[a], kernel[a], stride[a], dilation[a]);
                    before[a] = p[0];
                    after[a] = p[1];
                }
                case EXPLICIT -> {
                    int n = values.length;
                    if (n == 1) before[a] = after[a] = values[0];
                    else if (n == rank) before[a] = after[a] = values[a];
                    else {
                        before[a] = values[2 * a];
                        after[a] = values[2 * a + 1];
                    }
                }
            }
        }
        return new int[][] {before, after};
    }

    /** {before, after} padding along axis 0 (height) or 1 (width) of a 2-D convolution without dilation. */
    public int[] resolve(int axis, int input, int kernel, int stride) {
        int[] in = {1, 1}, k = {1, 1}, s = {1, 1};
        in[axis] = input;
        k[axis] = kernel;
        s[axis] = stride;
        int[][] r = resolve(in, k, s, new int[] {1, 1});
        return new int[] {r[0][axis], r[1][axis]};
    }

    /** True for explicit all-zero padding or VALID. */
    public boolean isZero() {
        if (mode == Mode.VALID) return true;
        if (mode == Mode.SAME) return false;
        for (int v : values) if (v != 0) return false;
        return true;
    }

    private static String str(int[] v) {
        if (v.length == 1) return Integer.toString(v[0]);
        String s = Arrays.toString(v);
        return "(" + s.substring(1, s.length() - 1) + ")";
    }

    @Override
    public String toString() {
        return switch (mode) {
            case SAME -> "same";
            case VALID -> "valid";
            case EXPLICIT -> {
                boolean allSame = true;
                for (int v : values) allSame &= v == values[0];
                yield allSame ? Integer.toString(values[0]) : str(values);
            }
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Padding p && p.mode == mode && Arrays.equals(p.values, values);
    }

    @Override
    public int hashCode() {
        return 31 * mode.hashCode() + Arrays.hashCode(values);
    }
}
