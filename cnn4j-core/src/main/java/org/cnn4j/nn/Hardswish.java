package org.cnn4j.nn;

import org.cnn4j.autograd.ops.ActivationOp;
import org.cnn4j.tensor.Tensor;

/** x * min(max(x + 3, 0), 6) / 6, elementwise (PyTorch's Hardswish, MobileNetV3). */
public final class Hardswish extends Module {
    @Override
    public Tensor forward(Tensor input) {
        return ActivationOp.hardswish(input);
    }

    @Override
    public String describe() {
        return "Hardswish";
    }
}
