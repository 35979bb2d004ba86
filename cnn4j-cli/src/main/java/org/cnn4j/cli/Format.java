package org.cnn4j.cli;

import java.util.Locale;

/** Number formats for the console. */
final class Format {
    private Format() {}

    /** {@code 1,475,338}. */
    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** A loss with 4 decimals, or in scientific notation when it is huge (a diverging run). */
    static String loss(double v) {
        if (Double.isFinite(v) && Math.abs(v) >= 1e5) return String.format(Locale.ROOT, "%.4g", v);
        return String.format(Locale.ROOT, "%.4f", v);
    }
}
