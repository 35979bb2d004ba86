package org.cnn4j.nn;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Activation modules by name, as Keras' {@code activation="relu"} strings: relu, relu6, leaky_relu,
 * prelu, elu, selu, gelu, gelu_tanh, silu, swish, sigmoid, tanh, hard_swish (hardswish), hard_sigmoid
 * (hardsigmoid), softmax, log_softmax, linear (identity). Each makes the PyTorch module with PyTorch's
 * defaults (e.g. leaky_relu slope 0.01, hard_sigmoid = relu6(x + 3) / 6 as Keras 3), except that
 * softmax and log_softmax work over the last dimension, as Keras does.
 */
public final class Activations {
    private Activations() {}

    private static final Map<String, Supplier<Module>> BY_NAME = new TreeMap<>();

    static {
        BY_NAME.put("relu", ReLU::new);
        BY_NAME.put("relu6", ReLU6::new);
        BY_NAME.put("leaky_relu", LeakyReLU::new);
        BY_NAME.put("prelu", PReLU::new);
        BY_NAME.put("elu", ELU::new);
        BY_NAME.put("selu", SELU::new);
        BY_NAME.put("gelu", GELU::new);
        BY_NAME.put("gelu_tanh", () -> new GELU("tanh"));
        BY_NAME.put("silu", SiLU::new);
        BY_NAME.put("swish", Swish::new);
        BY_NAME.put("sigmoid", Sigmoid::new);
        BY_NAME.put("tanh", Tanh::new);
        BY_NAME.put("hard_swish", Hardswish::new);
        BY_NAME.put("hardswish", Hardswish::new);
        BY_NAME.put("hard_sigmoid", Hardsigmoid::new);
        BY_NAME.put("hardsigmoid", Hardsigmoid::new);
        BY_NAME.put("softmax", () -> new Softmax(-1));
        BY_NAME.put("log_softmax", () -> new LogSoftmax(-1));
        BY_NAME.put("linear", Identity::new);
        BY_NAME.put("identity", Identity::new);
    }

    /** A new module for the activation {@code name} (case-insensitive); fails listing the known names. */
    public static Module named(String name) {
        Supplier<Module> s = name == null ? null : BY_NAME.get(name.toLowerCase(Locale.ROOT));
        if (s == null)
            throw new IllegalArgumentException("unknown activation '" + name + "'. Known: " + String.join(", ", BY_NAME.keySet()));
        return s.get();
    }

    /** The names {@link #named} accepts. */
    public static java.util.Set<String> names() {
        return java.util.Collections.unmodifiableSet(BY_NAME.keySet());
    }
}
