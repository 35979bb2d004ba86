package org.cnn4j.nn;

import org.cnn4j.autograd.ops.ActivationOp;
import org.cnn4j.tensor.Tensor;

/** Scaled ELU: 1.0507 * (x > 0 ? x : 1.6733 * (exp(x) - 1)), self-normalising with {@link AlphaDropout} (PyTorch's SELU). */
public final class SELU extends Module {
    @Override
    public Tensor forward(Tensor input) {
        return ActivationOp.selu(input);
    }

    @Override
    public String describe() {
        return "SELU";
    }
}
