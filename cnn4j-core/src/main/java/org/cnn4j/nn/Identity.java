package org.cnn4j.nn;

import org.cnn4j.tensor.Tensor;

/** Returns its input unchanged (the same tensor), as PyTorch's Identity: a placeholder, e.g. for a removed head. */
public final class Identity extends Module {
    @Override
    public Tensor forward(Tensor input) {
        return input;
    }

    @Override
    public String describe() {
        return "Identity";
    }
}
