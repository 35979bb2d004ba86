package org.cnn4j.nn;

import org.cnn4j.autograd.ops.SoftmaxOp;
import org.cnn4j.tensor.Tensor;

/** log(softmax(x)) over a dimension (default 1), computed stably. */
public final class LogSoftmax extends Module {
    private final int dim;

    public LogSoftmax() {
        this(1);
    }

    public LogSoftmax(int dim) {
        this.dim = dim;
    }

    @Override
    public Tensor forward(Tensor input) {
        return SoftmaxOp.logSoftmax(input, dim);
    }

    @Override
    public String describe() {
        return "LogSoftmax dim=" + dim;
    }
}
