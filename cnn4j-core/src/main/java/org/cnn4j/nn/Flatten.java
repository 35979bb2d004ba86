package org.cnn4j.nn;

import org.cnn4j.tensor.Tensor;

/** Flattens all dimensions after the batch: [N, C, H, W] -> [N, C*H*W] (PyTorch's default start_dim=1). */
public final class Flatten extends Module {
    @Override
    public Tensor forward(Tensor input) {
        return input.flatten(1);
    }

    @Override
    public String describe() {
        return "Flatten";
    }
}
