package org.cnn4j.nn;

import org.cnn4j.autograd.ops.ShapeOps;
import org.cnn4j.tensor.Tensor;

/**
 * Concatenates its inputs along one dimension (Keras' Concatenate, PyTorch's torch.cat), default 1: the
 * channels of NCHW maps, as Inception's branches are joined. Inputs must have the same rank and equal
 * sizes in every other dimension. Gradients flow back to each input as its slice.
 *
 * <pre>{@code
 * Concatenate cat = new Concatenate();          // dim 1
 * Tensor y = cat.call(branch1, branch2, branch3); // [N, C1 + C2 + C3, H, W]
 * }</pre>
 */
public final class Concatenate extends MultiInputModule {
    private final int dim;

    public Concatenate() {
        this(1);
    }

    /** {@code dim} may be negative (counted from the end). */
    public Concatenate(int dim) {
        this.dim = dim;
    }

    public int dim() {
        return dim;
    }

    @Override
    public Tensor forward(Tensor... inputs) {
        try {
            return ShapeOps.cat(dim, inputs);
        } catch (IllegalArgumentException e) {
            throw shapeError(e.getMessage());
        }
    }

    @Override
    public String describe() {
        return "Concatenate dim=" + dim;
    }
}
