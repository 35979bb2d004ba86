package org.cnn4j.data.transforms;

import java.util.Arrays;

/** Between dataset samples (flat floats with a sample shape) and {@link Image}s. */
final class Samples {
    private Samples() {}

    /** {@code {C, H, W}} for a sample shape {@code [C, H, W]} or {@code [H, W]}; otherwise an error. */
    static int[] chw(int[] sampleShape, String who) {
        if (sampleShape.length == 3) return sampleShape.clone();
        if (sampleShape.length == 2) return new int[] {1, sampleShape[0], sampleShape[1]};
        throw new IllegalArgumentException(who + " needs image samples shaped [C, H, W] or [H, W]. Received: "
                + Arrays.toString(sampleShape));
    }

    static void checkSameShape(Image out, int[] chw, String who) {
        if (out.channels() != chw[0] || out.height() != chw[1] || out.width() != chw[2])
            throw new IllegalArgumentException(who + ": the transform turned a " + chw[0] + "x" + chw[1] + "x" + chw[2]
                    + " sample into " + out.channels() + "x" + out.height() + "x" + out.width()
                    + "; samples of a dataset must keep their shape (add a Resize or CenterCrop back to the size)");
    }
}
