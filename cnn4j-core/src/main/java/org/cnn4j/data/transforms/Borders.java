package org.cnn4j.data.transforms;

/** Maps an index outside {@code [0, n)} back into it, for the border modes of padding and warping. */
final class Borders {
    private Borders() {}

    /** {@code aa|abcd|dd}: the nearest edge pixel. */
    static int clamp(int i, int n) {
        return i < 0 ? 0 : (i >= n ? n - 1 : i);
    }

    /** {@code cb|abcd|cb}: mirror about the edge pixel (period 2n - 2). */
    static int reflect101(int i, int n) {
        if (n == 1) return 0;
        int period = 2 * n - 2;
        int m = Math.floorMod(i, period);
        return m < n ? m : period - m;
    }

    /** {@code ba|abcd|dc}: mirror about the edge (period 2n). */
    static int symmetric(int i, int n) {
        int period = 2 * n;
        int m = Math.floorMod(i, period);
        return m < n ? m : period - 1 - m;
    }

    /** {@code cd|abcd|ab}: periodic. */
    static int wrap(int i, int n) {
        return Math.floorMod(i, n);
    }

    /** Index for a padding mode; -1 for CONSTANT outside the image. */
    static int index(PaddingMode mode, int i, int n) {
        if (i >= 0 && i < n) return i;
        return switch (mode) {
            case CONSTANT -> -1;
            case EDGE -> clamp(i, n);
            case REFLECT -> reflect101(i, n);
            case SYMMETRIC -> symmetric(i, n);
        };
    }

    /** Index for a fill mode; -1 for CONSTANT outside the image. */
    static int index(FillMode mode, int i, int n) {
        if (i >= 0 && i < n) return i;
        return switch (mode) {
            case CONSTANT -> -1;
            case NEAREST -> clamp(i, n);
            case REFLECT -> symmetric(i, n);
            case WRAP -> wrap(i, n);
        };
    }
}
