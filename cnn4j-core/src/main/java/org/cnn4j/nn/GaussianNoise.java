package org.cnn4j.nn;

import org.cnn4j.autograd.ops.DropoutOp;
import org.cnn4j.tensor.Rng;
import org.cnn4j.tensor.Tensor;

/**
 * Keras' GaussianNoise: in training adds zero-mean Gaussian noise of standard deviation {@code stddev}
 * to every element (a regulariser, or data augmentation on the input); identity in evaluation. Draws
 * from {@link Rng#global()}.
 */
public final class GaussianNoise extends Module {
    private final float stddev;

    public GaussianNoise(float stddev) {
        if (!(stddev >= 0f) || !Float.isFinite(stddev))
            throw new IllegalArgumentException("GaussianNoise: stddev must be a finite number >= 0. Received: stddev=" + stddev);
        this.stddev = stddev;
    }

    public float stddev() {
        return stddev;
    }

    @Override
    public Tensor forward(Tensor input) {
        if (!isTraining() || stddev == 0f) return input;
        return DropoutOp.gaussianNoise(input, stddev, Rng.global());
    }

    @Override
    public String describe() {
        return "GaussianNoise stddev=" + stddev;
    }
}
