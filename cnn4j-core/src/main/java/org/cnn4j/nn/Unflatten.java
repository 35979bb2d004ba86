package org.cnn4j.nn;

import org.cnn4j.autograd.ops.ShapeOps;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;

import java.util.Arrays;

/**
 * Splits one dimension into several (PyTorch's Unflatten): {@code new Unflatten(1, 32, 7, 7)} turns
 * [N, 1568] into [N, 32, 7, 7]. One size may be -1. Shares storage with the input.
 */
public final class Unflatten extends Module {
    private final int dim;
    private final int[] sizes;

    public Unflatten(int dim, int... sizes) {
        if (sizes.length == 0) throw new IllegalArgumentException("Unflatten: unflattened_size must not be empty");
        int unknown = 0;
        for (int s : sizes) {
            if (s == -1) unknown++;
            else if (s < 0) throw new IllegalArgumentException("Unflatten: sizes must be >= 0, or one -1. Received: unflattened_size="
                    + Arrays.toString(sizes));
        }
        if (unknown > 1) throw new IllegalArgumentException("Unflatten: at most one size may be -1. Received: unflattened_size="
                + Arrays.toString(sizes));
        this.dim = dim;
        this.sizes = sizes.clone();
    }

    @Override
    public Tensor forward(Tensor input) {
        try {
            return ShapeOps.unflatten(input, dim, sizes);
        } catch (IllegalArgumentException e) {
            throw shapeError(e.getMessage() + (e.getMessage().contains(Shape.str(input.shape())) ? "" : " (input " + Shape.str(input.shape()) + ")"));
        }
    }

    @Override
    public String describe() {
        return "Unflatten dim=" + dim + ", " + Arrays.toString(sizes);
    }
}
