package org.cnn4j.nn;

import org.cnn4j.autograd.ops.ActivationOp;
import org.cnn4j.tensor.Tensor;

/** x > 0 ? x : negative_slope * x, elementwise (PyTorch's LeakyReLU; default slope 0.01). */
public final class LeakyReLU extends Module {
    private final float negativeSlope;

    public LeakyReLU() {
        this(0.01f);
    }

    public LeakyReLU(float negativeSlope) {
        if (!Float.isFinite(negativeSlope))
            throw new IllegalArgumentException("LeakyReLU: negative_slope must be a finite number. Received: negative_slope=" + negativeSlope);
        this.negativeSlope = negativeSlope;
    }

    public float negativeSlope() {
        return negativeSlope;
    }

    @Override
    public Tensor forward(Tensor input) {
        return ActivationOp.leakyRelu(input, negativeSlope);
    }

    @Override
    public String describe() {
        return "LeakyReLU negative_slope=" + negativeSlope;
    }
}
