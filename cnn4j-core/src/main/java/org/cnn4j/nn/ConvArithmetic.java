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

    private static String formatFraction(int span, int stride) {
        double v = (double) span / stride + 1;
        return String.valueOf(v);
    }
}
