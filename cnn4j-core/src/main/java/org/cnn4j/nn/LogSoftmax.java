package org.cnn4j.nn;

import org.cnn4j.autograd.ops.SoftmaxOp;
import org.cnn4j.tensor.Tensor;

/** log(softmax(x)) over a dimension (default 1; negative dims count from the end), computed stably. */
public final class LogSoftmax extends Module {
    private final int dim;

    public LogSoftmax() {
        this(1);
    }

    public LogSoftmax(int dim) {
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
        return SoftmaxOp.logSoftmax(input, dim);
    }

    @Override
    public String describe() {
        return "LogSoftmax dim=" + dim;
    }
}
