package org.cnn4j.nn;

import org.cnn4j.tensor.Tensor;

/**
 * A learnable tensor owned by a {@link Module}: requires a gradient unless frozen. Optimizers update
 * {@link #data()} in place.
 */
public final class Parameter extends Tensor {
    private Regularizer regularizer;

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

    /**
     * Attaches a weight penalty (Keras' kernel/bias regularizer) that {@link Module#regularizationLoss()}
     * adds to the loss; null removes it. Returns this parameter.
     */
    public Parameter regularizer(Regularizer regularizer) {
        this.regularizer = regularizer;
        return this;
    }

    /** The attached penalty, or null. */
    public Regularizer regularizer() {
        return regularizer;
    }
}
