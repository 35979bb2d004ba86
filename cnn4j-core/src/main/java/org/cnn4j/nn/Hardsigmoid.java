package org.cnn4j.nn;

import org.cnn4j.autograd.ops.ActivationOp;
import org.cnn4j.tensor.Tensor;

/** min(max(x + 3, 0), 6) / 6, elementwise (PyTorch's Hardsigmoid; Keras 3's hard_sigmoid). */
public final class Hardsigmoid extends Module {
    @Override
    public Tensor forward(Tensor input) {
        return ActivationOp.hardsigmoid(input);
    }

    @Override
    public String describe() {
        return "Hardsigmoid";
    }
}
