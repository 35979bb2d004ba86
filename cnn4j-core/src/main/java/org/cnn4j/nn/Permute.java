package org.cnn4j.nn;

import org.cnn4j.autograd.ops.ShapeOps;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;

import java.util.Arrays;

/**
 * Reorders dimensions as {@code torch.permute}: output dimension i is input dimension dims[i], e.g.
 * {@code new Permute(0, 2, 3, 1)} turns NCHW into NHWC. Dims cover all dimensions, batch included
 * (negatives count from the end). The result is a contiguous copy.
 */
public final class Permute extends Module {
    private final int[] dims;

    public Permute(int... dims) {
        if (dims.length == 0) throw new IllegalArgumentException("Permute: dims must not be empty");
        boolean allNonNegative = true;
        for (int d : dims) allNonNegative &= d >= 0;
        if (allNonNegative) {
            boolean[] seen = new boolean[dims.length];
            for (int d : dims) {
                if (d >= dims.length || seen[d])
                    throw new IllegalArgumentException("Permute: dims must be a permutation of 0.." + (dims.length - 1)
                            + ". Received: dims=" + Arrays.toString(dims));
                seen[d] = true;
            }
        }
        this.dims = dims.clone();
    }

    @Override
    public Tensor forward(Tensor input) {
        try {
            return ShapeOps.permute(input, dims);
        } catch (IllegalArgumentException e) {
            throw shapeError(e.getMessage().contains(Shape.str(input.shape())) ? e.getMessage()
                    : e.getMessage() + " (input " + Shape.str(input.shape()) + ")");
        }
    }

    @Override
    public String describe() {
        return "Permute " + Arrays.toString(dims);
    }
}
