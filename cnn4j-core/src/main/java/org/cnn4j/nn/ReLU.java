package org.cnn4j.nn;

import org.cnn4j.tensor.Tensor;

/** max(x, 0), elementwise. */
public final class ReLU extends Module {
    @Override
    public Tensor forward(Tensor input) {
        return input.relu();
    }

    @Override
    public String describe() {
        return "ReLU";
    }
}
