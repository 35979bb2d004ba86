package org.cnn4j.nn;

import org.cnn4j.autograd.ops.ShapeOps;
import org.cnn4j.tensor.Tensor;

/**
 * Merges dimensions {@code start_dim} to {@code end_dim} (inclusive; negatives count from the end) into
 * one, as PyTorch's Flatten; the default (1, -1) flattens everything after the batch:
 * [N, C, H, W] -> [N, C*H*W]. Shares storage with the input.
 */
public final class Flatten extends Module {
    private final int startDim, endDim;

    public Flatten() {
        this(1, -1);
    }

    public Flatten(int startDim, int endDim) {
        if (startDim >= 0 && endDim >= 0 && startDim > endDim)
            throw new IllegalArgumentException("Flatten: start_dim must not come after end_dim. Received: start_dim=" + startDim
                    + ", end_dim=" + endDim);
        this.startDim = startDim;
        this.endDim = endDim;
    }

    public int startDim() {
        return startDim;
    }

    public int endDim() {
        return endDim;
    }

    @Override
    public Tensor forward(Tensor input) {
        try {
            return ShapeOps.flatten(input, startDim, endDim);
        } catch (IllegalArgumentException e) {
            throw shapeError(e.getMessage() + " (input " + org.cnn4j.tensor.Shape.str(input.shape()) + ")");
        }
    }

    @Override
    public String describe() {
        return startDim == 1 && endDim == -1 ? "Flatten" : "Flatten start_dim=" + startDim + ", end_dim=" + endDim;
    }
}
