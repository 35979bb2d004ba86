package org.cnn4j.nn;

import org.cnn4j.autograd.ops.ActivationOp;
import org.cnn4j.tensor.Tensor;

/** x > 0 ? x : alpha * (exp(x) - 1), elementwise (PyTorch's ELU; default alpha 1). */
public final class ELU extends Module {
    private final float alpha;

    public ELU() {
        this(1f);
    }

    public ELU(float alpha) {
        if (!Float.isFinite(alpha))
            throw new IllegalArgumentException("ELU: alpha must be a finite number. Received: alpha=" + alpha);
        this.alpha = alpha;
    }

    public float alpha() {
        return alpha;
    }

    @Override
    public Tensor forward(Tensor input) {
        return ActivationOp.elu(input, alpha);
    }

    @Override
    public String describe() {
        return "ELU alpha=" + alpha;
    }
}
