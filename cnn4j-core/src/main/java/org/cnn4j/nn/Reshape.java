package org.cnn4j.nn;

import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;

import java.util.Arrays;

/**
 * Reshapes its input (shares storage). Two forms:
 * <ul>
 * <li>{@code new Reshape(-1, 3, 4)}: the whole target shape, as {@code torch.reshape}; one entry may be -1
 *     (usually the batch, whose size varies);</li>
 * <li>{@code Reshape.perSample(3, -1)}: the shape of each sample, the batch dimension kept, as Keras'
 *     Reshape(target_shape); one entry may be -1.</li>
 * </ul>
 */
public final class Reshape extends Module {
    private final int[] shape;
    private final boolean keepBatch;

    /** The whole target shape (one -1 allowed), as torch.reshape. */
    public Reshape(int... shape) {
        this(shape, false);
    }

    private Reshape(int[] shape, boolean keepBatch) {
        int unknown = 0;
        for (int s : shape) {
            if (s == -1) unknown++;
            else if (s < 0) throw new IllegalArgumentException("Reshape: sizes must be >= 0, or one -1. Received: shape=" + Arrays.toString(shape));
        }
        if (unknown > 1) throw new IllegalArgumentException("Reshape: at most one size may be -1. Received: shape=" + Arrays.toString(shape));
        this.shape = shape.clone();
        this.keepBatch = keepBatch;
    }

    /** The per-sample target shape (one -1 allowed); dimension 0 (the batch) is kept, as Keras' Reshape. */
    public static Reshape perSample(int... shape) {
        return new Reshape(shape, true);
    }

    @Override
    public Tensor forward(Tensor input) {
        int[] target = shape;
        if (keepBatch) {
            if (input.rank() < 1) throw shapeError("input " + Shape.str(input.shape()) + " has no batch dimension to keep");
            target = new int[shape.length + 1];
            target[0] = input.size(0);
            System.arraycopy(shape, 0, target, 1, shape.length);
        }
        try {
            return input.reshape(target);
        } catch (IllegalArgumentException e) {
            throw shapeError("input " + Shape.str(input.shape()) + " (" + input.numel() + " elements) cannot be reshaped to "
                    + Arrays.toString(target) + ": " + e.getMessage());
        }
    }

    @Override
    public String describe() {
        return (keepBatch ? "Reshape per sample " : "Reshape ") + Arrays.toString(shape);
    }
}
