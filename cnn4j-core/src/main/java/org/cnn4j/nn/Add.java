package org.cnn4j.nn;

import org.cnn4j.autograd.ops.ShapeOps;
import org.cnn4j.tensor.Tensor;

/**
 * Elementwise sum of its inputs (Keras' Add; a residual connection's join): all inputs must have the
 * same shape (no broadcasting). Each input receives the output's gradient.
 *
 * <pre>{@code
 * Tensor out = new Add().call(block(x), x);   // x + F(x)
 * }</pre>
 */
public final class Add extends MultiInputModule {
    @Override
    public Tensor forward(Tensor... inputs) {
        try {
            return ShapeOps.add(inputs);
        } catch (IllegalArgumentException e) {
            throw shapeError(e.getMessage());
        }
    }

    @Override
    public String describe() {
        return "Add";
    }
}
