package org.cnn4j.nn;

import org.cnn4j.autograd.ops.PoolNdOp;
import org.cnn4j.tensor.Tensor;

/**
 * One value per channel: the mean or maximum over all spatial cells, as Keras' GlobalAveragePooling /
 * GlobalMaxPooling (channels first). Output {@code [N, C]}, or with {@code keepDims} {@code [N, C, 1, ...]}
 * (one 1 per spatial axis, as PyTorch's {@code AdaptiveAvgPool(1)}). Max pooling routes the gradient to
 * the first maximum of each plane.
 */
public abstract class GlobalPoolNd extends Module {
    private final boolean max, keepDims;
    private final int dims;

    GlobalPoolNd(boolean max, int dims, boolean keepDims) {
        this.max = max;
        this.dims = dims;
        this.keepDims = keepDims;
    }

    @Override
    public final Tensor forward(Tensor input) {
        PoolNd.checkInput(this, dims, input.shape());
        return PoolNdOp.global(input, max, keepDims);
    }

    public final boolean keepDims() {
        return keepDims;
    }

    @Override
    public String describe() {
        return getClass().getSimpleName() + (keepDims ? " keepdims" : "");
    }
}
