package org.cnn4j.graph;

import org.cnn4j.tensor.Tensor;

import java.util.List;

/**
 * A module that combines several tensors (residual add, concatenation). {@link Model} calls
 * {@link #forward(List)} for it; its single-input {@code forward(Tensor)} is not used in a graph.
 */
public interface MultiInput {
    Tensor forward(List<Tensor> inputs);
}
