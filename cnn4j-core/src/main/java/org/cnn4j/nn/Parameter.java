package org.cnn4j.nn;

import org.cnn4j.tensor.Tensor;

/**
 * A learnable tensor owned by a {@link Module}: requires a gradient unless frozen. Optimizers update
 * {@link #data()} in place.
 */
public final class Parameter extends Tensor {
    public Parameter(float[] data, int... shape) {
        super(data, shape);
        requiresGrad(true);
    }

    public static Parameter of(Tensor init) {
        return new Parameter(init.data(), init.shape());
    }

    /** Frozen parameters get no gradient and are skipped by optimizers (transfer learning). */
    public boolean isTrainable() {
        return requiresGrad();
    }
}
