package org.cnn4j.nn;

import org.cnn4j.autograd.ops.Pool2dOp;
import org.cnn4j.tensor.Tensor;

/** Mean over each window (padding counted, PyTorch's count_include_pad=True). */
public final class AvgPool2d extends Pool2d {
    public AvgPool2d(int kernel) {
        this(kernel, kernel, 0);
    }

    public AvgPool2d(int kernel, int stride) {
        this(kernel, stride, 0);
    }

    public AvgPool2d(int kernel, int stride, int padding) {
        super(kernel, kernel, stride, stride, padding, padding);
    }

    @Override
    public Tensor forward(Tensor input) {
        return Pool2dOp.avg(input, geometry(input.shape()));
    }
}
