package org.cnn4j.nn;

import org.cnn4j.autograd.ops.SoftmaxOp;
import org.cnn4j.tensor.Tensor;

/** Softmax over a dimension (default 1, the classes of [N, C]; negative dims count from the end): probabilities that sum to 1. */
public final class Softmax extends Module {
    private final int dim;

    public Softmax() {
        this(1);
    }

    public Softmax(int dim) {
        this.dim = dim;
    }

    /** The dimension normalised over (may be negative: counted from the end). */
    public int dim() {
        return dim;
    }

    @Override
    public Tensor forward(Tensor input) {
        if (dim < -Math.max(input.rank(), 1) || dim >= Math.max(input.rank(), 1))
            throw shapeError("dim " + dim + " is out of range for input " + org.cnn4j.tensor.Shape.str(input.shape())
                    + " (valid: " + -Math.max(input.rank(), 1) + " to " + (Math.max(input.rank(), 1) - 1) + ")");
        return SoftmaxOp.softmax(input, dim);
    }

    @Override
    public String describe() {
        return "Softmax dim=" + dim;
    }
}
