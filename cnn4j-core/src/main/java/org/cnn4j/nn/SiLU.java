package org.cnn4j.nn;

import org.cnn4j.autograd.ops.ActivationOp;
import org.cnn4j.tensor.Tensor;

/** x * sigmoid(x), elementwise (PyTorch's SiLU; Keras calls it swish, see {@link Swish}). */
public class SiLU extends Module {
    @Override
    public Tensor forward(Tensor input) {
        return ActivationOp.silu(input);
    }

    @Override
    public String describe() {
        return getClass().getSimpleName();
    }
}
