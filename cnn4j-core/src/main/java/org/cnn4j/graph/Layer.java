package org.cnn4j.graph;

import org.cnn4j.autograd.Autograd;
import org.cnn4j.nn.Module;
import org.cnn4j.nn.MultiInputModule;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A layer of a functional graph, as in Keras: {@code y = layer.apply(x)}. The concrete {@link Module} is
 * built on the first {@code apply}, when the input shapes are known, so a layer may leave out what the
 * input determines (a Conv2d's input channels, a Dense layer's input features), as Keras does. Applying
 * the same layer again reuses that module: the weights are shared, as in Keras.
 *
 * <p>Output shapes are found by running the module once on a zero batch of one sample, in evaluation mode
 * and without recording gradients, so every module works in a graph without declaring its shape rule,
 * and a shape error surfaces at {@code apply} (naming the layer) rather than at training time.
 *
 * <p>Get layers from {@link Layers} (Keras names) or wrap any module with {@link #of(Module)}.
 */
public abstract class Layer {
    private Module module;
    private String name;
    private String activation;

    /** Builds the module for inputs of these per-sample shapes (batch dimension excluded). */
    protected abstract Module build(List<int[]> inputShapes);

    /** Wraps an already constructed module (its sizes must then match the inputs). */
    public static Layer of(Module module) {
        Objects.requireNonNull(module, "module");
        Layer layer = new Layer() {
            @Override
            protected Module build(List<int[]> inputShapes) {
                return module;
            }
        };
        layer.module = module;
        return layer;
    }

    /** Names the layer; the name becomes its state-dict prefix in the {@link Model} (default: Keras-style {@code conv2d_1}). */
    public Layer name(String name) {
        if (name == null || name.isEmpty() || name.contains("."))
            throw new IllegalArgumentException("layer name must be non-empty without dots, got '" + name + "'");
        this.name = name;
        return this;
    }

    /** The name given with {@link #name(String)}, or null. */
    public String name() {
        return name;
    }

    /**
     * Follows the layer with an activation, as Keras' {@code activation=} argument (see
     * {@link Layers#activation(String)} for the names); the activation is its own graph node without
     * parameters, so the state-dict keys stay those of the layer.
     */
    public Layer activation(String activation) {
        Layers.activationModule(activation); // validate now
        this.activation = activation;
        return this;
    }

    /** The module, once built by the first {@link #apply}; null before. */
    public Module module() {
        return module;
    }

    /** Connects the layer to its inputs and returns the symbolic output. */
    public final SymbolicTensor apply(SymbolicTensor... inputs) {
        if (inputs.length == 0) throw new IllegalArgumentException(describe() + ": apply needs at least one input");
        List<SymbolicTensor> in = List.of(inputs);
        List<int[]> shapes = new ArrayList<>();
        for (SymbolicTensor t : in) shapes.add(t.shape());
        if (module == null) module = Objects.requireNonNull(build(shapes), "build returned null");
        if (in.size() > 1 && !(module instanceof MultiInputModule))
            throw new IllegalArgumentException(describe() + " takes one input, got " + in.size());
        SymbolicTensor out = new SymbolicTensor(inferShape(module, shapes), module, in, null);
        if (activation == null) return out;
        Module act = Layers.activationModule(activation);
        return new SymbolicTensor(inferShape(act, List.of(out.shape())), act, List.of(out), null);
    }

    private String describe() {
        return module != null ? module.describe() : name != null ? "layer '" + name + "'" : getClass().getSimpleName();
    }

    /** Runs the module on a one-sample zero batch in eval mode without gradients; returns the output shape without batch. */
    static int[] inferShape(Module module, List<int[]> inputShapes) {
        List<Tensor> dummies = new ArrayList<>();
        for (int[] s : inputShapes) {
            int[] batched = new int[s.length + 1];
            batched[0] = 1;
            System.arraycopy(s, 0, batched, 1, s.length);
            dummies.add(Tensor.zeros(batched));
        }
        boolean wasTraining = module.isTraining();
        module.eval();
        try (var scope = Autograd.noGrad()) {
            Tensor y = module instanceof MultiInputModule m ? m.forward(dummies.toArray(new Tensor[0])) : module.forward(dummies.get(0));
            int[] shape = y.shape();
            return Arrays.copyOfRange(shape, 1, shape.length);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(module.describe() + " cannot take input shape(s) " + shapesStr(inputShapes)
                    + ": " + e.getMessage(), e);
        } finally {
            module.train(wasTraining);
        }
    }

    static String shapesStr(List<int[]> shapes) {
        StringBuilder sb = new StringBuilder();
        for (int[] s : shapes) {
            if (!sb.isEmpty()) sb.append(", ");
            sb.append("[None, ").append(Shape.str(s).substring(1));
        }
        return sb.toString();
    }
}
