package org.cnn4j.nn;

/**
 * The output-size arithmetic of convolution and pooling, as the seeds teach it:
 * {@code O = (I - F + 2P) / S + 1}.
 */
public final class ConvArithmetic {
    private ConvArithmetic() {}

    /**
     * The strict form: a configuration whose division does not come out even is invalid (the seed's
     * (4 - 3 + 2*1)/2 + 1 = 2.5 "impossible" case) and is rejected with the formula filled in.
     */
    public static int outputSize(int input, int kernel, int padding, int stride) {
        int span = input - kernel + 2 * padding;
        String formula = "(I - F + 2P) / S + 1 = (" + input + " - " + kernel + " + 2*" + padding + ") / " + stride + " + 1";
        if (stride <= 0) throw new IllegalArgumentException("stride must be positive: " + formula);
        if (span < 0) throw new IllegalArgumentException("kernel " + kernel + " is larger than the padded input "
                + (input + 2 * padding) + ": " + formula + " < 1");
        if (span % stride != 0)
            throw new IllegalArgumentException("invalid configuration: " + formula + " = "
                    + formatFraction(span, stride) + ", not an integer");
        return span / stride + 1;
    }

    /** PyTorch's form: the division is floored (the last partial window is dropped). */
    public static int outputSizeFloor(int input, int kernel, int padBefore, int padAfter, int stride) {
        int span = input - kernel + padBefore + padAfter;
        if (span < 0) return 0;
        return span / stride + 1;
    }

    /**
     * PyTorch's form with dilation: {@code O = floor((I + P_before + P_after - D*(F-1) - 1) / S) + 1}; 0 when the
     * dilated kernel {@code D*(F-1)+1} is larger than the padded input.
     */
    public static int outputSizeFloor(int input, int kernel, int padBefore, int padAfter, int stride, int dilation) {
        long span = (long) input + padBefore + padAfter - (long) dilation * (kernel - 1) - 1;
        if (span < 0) return 0;
        return (int) (span / stride + 1);
    }

    /** The formula of {@link #outputSizeFloor(int, int, int, int, int, int)} with the numbers filled in. */
    public static String outputSizeFormula(int input, int kernel, int padBefore, int padAfter, int stride, int dilation) {
        long span = (long) input + padBefore + padAfter - (long) dilation * (kernel - 1) - 1;
        return "O = floor((I + P_before + P_after - D*(F-1) - 1) / S) + 1 = floor((" + input + " + " + padBefore + " + "
                + padAfter + " - " + dilation + "*" + (kernel - 1) + " - 1) / " + stride + ") + 1 = "
                + (span < 0 ? "floor(" + span + "/" + stride + ") + 1" : Long.toString(span / stride + 1));
    }

    /**
     * TensorFlow's "same" padding {before, after} along one axis: the output is {@code ceil(I / S)} and
     * {@code pad_total = max((ceil(I/S) - 1) * S + (F - 1) * D + 1 - I, 0)}, with the extra pixel at the end
     * ({@code before = pad_total / 2}, floored). E.g. I=7, S=2, F=4: ceil = 4, total = 3*2 + 3 + 1 - 7 = 3, (1, 2).
     */
    public static int[] samePadding(int input, int kernel, int stride, int dilation) {
        if (input <= 0 || kernel <= 0 || stride <= 0 || dilation <= 0)
            throw new IllegalArgumentException("same padding needs positive sizes. Received: input=" + input
                    + ", kernel=" + kernel + ", stride=" + stride + ", dilation=" + dilation);
        long out = ((long) input + stride - 1) / stride;
        long total = Math.max((out - 1) * stride + (long) (kernel - 1) * dilation + 1 - input, 0);
        return new int[] {(int) (total / 2), (int) (total - total / 2)};
    }

    /**
     * The output size of a transposed convolution, as PyTorch:
     * {@code O = (I - 1) * S - P_before - P_after + D * (F - 1) + output_padding + 1}.
     */
    public static int transposedOutputSize(int input, int kernel, int stride, int padBefore, int padAfter, int dilation,
                                           int outputPadding) {
        long o = (long) (input - 1) * stride - padBefore - padAfter + (long) dilation * (kernel - 1) + outputPadding + 1;
        return (int) Math.max(Math.min(o, Integer.MAX_VALUE), Integer.MIN_VALUE);
    }

    /** The formula of {@link #transposedOutputSize} with the numbers filled in. */
    public static String transposedOutputFormula(int input, int kernel, int stride, int padBefore, int padAfter,
                                                 int dilation, int outputPadding) {
        return "O = (I - 1)*S - P_before - P_after + D*(F-1) + output_padding + 1 = (" + input + " - 1)*" + stride
                + " - " + padBefore + " - " + padAfter + " + " + dilation + "*" + (kernel - 1) + " + " + outputPadding
                + " + 1 = " + transposedOutputSize(input, kernel, stride, padBefore, padAfter, dilation, outputPadding);
    }

    private static String formatFraction(int span, int stride) {
        double v = (double) span / stride + 1;
        return String.valueOf(v);
    }
}
