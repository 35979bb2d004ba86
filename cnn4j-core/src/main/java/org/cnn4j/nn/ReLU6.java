package org.cnn4j.nn;

import org.cnn4j.autograd.ops.ActivationOp;
import org.cnn4j.tensor.Tensor;

/** min(max(x, 0), 6), elementwise (PyTorch's ReLU6; the derivative is 0 at both kinks). */
public final class ReLU6 extends Module {
    @Override
    public Tensor forward(Tensor input) {
        return ActivationOp.relu6(input);
    }

    @Override
    public String describe() {
        return "ReLU6";
    }
}
