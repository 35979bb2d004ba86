package org.cnn4j.graph;

import java.util.List;

/** Graph inputs, as Keras' {@code Input(shape=...)}: the shape excludes the batch dimension. */
public final class Input {
    private Input() {
    }

    /** An input named "input" of the given per-sample shape, e.g. {@code Input.of(1, 28, 28)} (NCHW without N). */
    public static SymbolicTensor of(int... shape) {
        return named("input", shape);
    }

    /** An input with a name (used in error messages and to tell several inputs apart). */
    public static SymbolicTensor named(String name, int... shape) {
        if (shape.length == 0)
            throw new IllegalArgumentException("Input '" + name + "': give the per-sample shape, e.g. Input.of(1, 28, 28)");
        for (int d : shape)
            if (d < 1)
                throw new IllegalArgumentException("Input '" + name + "': every dimension must be >= 1, got "
                        + java.util.Arrays.toString(shape));
        return new SymbolicTensor(shape, null, List.of(), name);
    }
}
