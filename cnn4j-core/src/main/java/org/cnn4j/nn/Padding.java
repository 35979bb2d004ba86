package org.cnn4j.nn;

/**
 * Convolution padding: explicit sizes (PyTorch's int or (h, w)), or Keras' {@link #SAME} and
 * {@link #VALID}. "same" follows TensorFlow: the output is ceil(input / stride) and the total padding
 * {@code max((out - 1) * stride + kernel - input, 0)} is split with the extra pixel at the bottom/right.
 */
public record Padding(Mode mode, int height, int width) {
    public enum Mode { EXPLICIT, SAME, VALID }

    public static final Padding SAME = new Padding(Mode.SAME, 0, 0);
    public static final Padding VALID = new Padding(Mode.VALID, 0, 0);

    public Padding {
        if (height < 0 || width < 0)
            throw new IllegalArgumentException("padding must be non-negative. Received: padding=(" + height + ", " + width + ")");
    }

    public static Padding of(int p) {
        return new Padding(Mode.EXPLICIT, p, p);
    }

    public static Padding of(int h, int w) {
        return new Padding(Mode.EXPLICIT, h, w);
    }

    /** Parses "same", "valid", "2" or "1,2". */
    public static Padding parse(String s) {
        String t = s.trim().toLowerCase();
        if (t.equals("same")) return SAME;
        if (t.equals("valid")) return VALID;
        try {
            String[] parts = t.split(",");
            if (parts.length == 1) return of(Integer.parseInt(parts[0].trim()));
            if (parts.length == 2) return of(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()));
        } catch (NumberFormatException ignored) {
            // fall through to the error below
        }
        throw new IllegalArgumentException("padding must be 'same', 'valid', P or PH,PW. Received: '" + s + "'");
    }

    /** {before, after} padding along one axis for this input size, kernel and stride. */
    public int[] resolve(int axis, int input, int kernel, int stride) {
        return switch (mode) {
            case VALID -> new int[] {0, 0};
            case EXPLICIT -> {
                int p = axis == 0 ? height : width;
                yield new int[] {p, p};
            }
            case SAME -> {
                int out = (input + stride - 1) / stride;
                int total = Math.max((out - 1) * stride + kernel - input, 0);
                yield new int[] {total / 2, total - total / 2};
            }
        };
    }

    @Override
    public String toString() {
        return switch (mode) {
            case SAME -> "same";
            case VALID -> "valid";
            case EXPLICIT -> height == width ? Integer.toString(height) : "(" + height + ", " + width + ")";
        };
    }
}
