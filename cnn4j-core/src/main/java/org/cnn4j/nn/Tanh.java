package org.cnn4j.nn;

import org.cnn4j.autograd.ops.ActivationOp;
import org.cnn4j.tensor.Tensor;

/** tanh(x), elementwise. */
public final class Tanh extends Module {
    @Override
    public Tensor forward(Tensor input) {
        return ActivationOp.tanh(input);
    }

    @Override
    public String describe() {
        return "Tanh";
    }
}
