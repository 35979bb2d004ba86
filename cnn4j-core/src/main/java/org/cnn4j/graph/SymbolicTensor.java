package org.cnn4j.graph;

import org.cnn4j.nn.Module;
import org.cnn4j.tensor.Shape;

import java.util.List;

/**
 * A placeholder for a tensor in a functional graph (Keras' {@code KerasTensor}): it knows its shape
 * without the batch dimension and which layer produced it from which inputs, and holds no data. Made by
 * {@link Input#of} and {@link Layer#apply}; consumed by {@link Model}.
 */
public final class SymbolicTensor {
    private final int[] shape;
    private final Module producer;          // null for an Input
    private final List<SymbolicTensor> inputs;
    private final String inputName;         // set for an Input only

    SymbolicTensor(int[] shape, Module producer, List<SymbolicTensor> inputs, String inputName) {
        this.shape = shape.clone();
        this.producer = producer;
        this.inputs = List.copyOf(inputs);
        this.inputName = inputName;
    }

    /** Shape of one sample, without the batch dimension (a fresh copy). */
    public int[] shape() {
        return shape.clone();
    }

    /** The layer that computes this tensor; null for a graph input. */
    public Module producer() {
        return producer;
    }

    /** The tensors the producer consumes (empty for an input). */
    public List<SymbolicTensor> inputs() {
        return inputs;
    }

    public boolean isInput() {
        return producer == null;
    }

    /** The name given to {@link Input#of}; null for computed tensors. */
    public String inputName() {
        return inputName;
    }

    @Override
    public String toString() {
        return (isInput() ? "Input '" + inputName + "' " : producer.describe() + " -> ") + "[None, "
                + Shape.str(shape).substring(1);
    }
}
