package org.cnn4j.nn;

import org.cnn4j.autograd.ops.ActivationOp;
import org.cnn4j.tensor.Tensor;

/** 1 / (1 + exp(-x)), elementwise. */
public final class Sigmoid extends Module {
    @Override
    public Tensor forward(Tensor input) {
        return ActivationOp.sigmoid(input);
    }

    @Override
    public String describe() {
        return "Sigmoid";
    }
}
