package org.cnn4j.nn;

import org.cnn4j.autograd.ops.SoftmaxOp;
import org.cnn4j.tensor.Tensor;

/** Softmax over a dimension (default 1, the classes of [N, C]): probabilities that sum to 1. */
public final class Softmax extends Module {
    private final int dim;

    public Softmax() {
        this(1);
    }

    public Softmax(int dim) {
        this.dim = dim;
    }

    @Override
    public Tensor forward(Tensor input) {
        return SoftmaxOp.softmax(input, dim);
    }

    @Override
    public String describe() {
        return "Softmax dim=" + dim;
    }
}
