package org.cnn4j.data.transforms;

import java.util.SplittableRandom;

/** Adds a fixed border (torchvision's {@code Pad(padding, fill, padding_mode)}; see {@link PaddingMode}). */
public final class Pad implements Transform {
    private final int left, top, right, bottom;
    private final PaddingMode mode;
    private final float fill;

    /** {@code padding} pixels on every side, zeros. */
    public Pad(int padding) {
        this(padding, padding, padding, padding, PaddingMode.CONSTANT, 0f);
    }

    public Pad(int left, int top, int right, int bottom, PaddingMode mode, float fill) {
        this.left = (int) Check.nonNegative("Pad left", left);
        this.top = (int) Check.nonNegative("Pad top", top);
        this.right = (int) Check.nonNegative("Pad right", right);
        this.bottom = (int) Check.nonNegative("Pad bottom", bottom);
        this.mode = Check.notNull("padding mode", mode);
        this.fill = fill;
    }

    @Override
    public Image apply(Image image, SplittableRandom rng) {
        return Functional.pad(image, left, top, right, bottom, mode, fill);
    }

    @Override
    public String toString() {
        return "Pad(" + left + ", " + top + ", " + right + ", " + bottom + ", " + mode + ")";
    }
}
