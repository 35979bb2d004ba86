package org.cnn4j.nn;

import org.cnn4j.tensor.Tensor;

import java.util.List;

/**
 * A module whose forward takes several tensors ({@link Concatenate}, {@link Add}): implement
 * {@link #forward(Tensor...)}, call {@link #call(Tensor...)}. Called with a single tensor (as in a
 * {@link Sequential}) it is the one-input case of the same computation. Forward hooks see the first
 * input and the output.
 */
public abstract class MultiInputModule extends Module {
    /** The computation over all inputs (at least one). */
    public abstract Tensor forward(Tensor... inputs);

    /** The one-input case: {@code forward(new Tensor[] {input})}. */
    @Override
    public final Tensor forward(Tensor input) {
        return forward(new Tensor[] {input});
    }

    /** Runs {@link #forward(Tensor...)} and the forward hooks (which receive the first input). */
    public final Tensor call(Tensor... inputs) {
        if (inputs == null || inputs.length == 0)
            throw new IllegalArgumentException((path().isEmpty() ? describe() : path() + " (" + describe() + ")") + ": needs at least one input");
        Tensor output = forward(inputs);
        runForwardHooks(inputs[0], output);
        return output;
    }

    /** {@link #call(Tensor...)} with a list. */
    public final Tensor call(List<Tensor> inputs) {
        return call(inputs.toArray(new Tensor[0]));
    }
}
