package org.cnn4j.nn;

import org.cnn4j.autograd.ops.Pool2dOp;
import org.cnn4j.tensor.Tensor;

/** Maximum over each window; the gradient flows to the maximum. */
public final class MaxPool2d extends Pool2d {
    /** Square window; stride = window, no padding. */
    public MaxPool2d(int kernel) {
        this(kernel, kernel, 0);
    }

    public MaxPool2d(int kernel, int stride) {
        this(kernel, stride, 0);
    }

    public MaxPool2d(int kernel, int stride, int padding) {
        super(kernel, kernel, stride, stride, padding, padding);
    }

    @Override
    public Tensor forward(Tensor input) {
        return Pool2dOp.max(input, geometry(input.shape()));
    }
}
