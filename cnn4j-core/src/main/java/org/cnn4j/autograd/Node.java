package org.cnn4j.autograd;

import org.cnn4j.kernels.ElementwiseKernels;
import org.cnn4j.tensor.BufferPool;
import org.cnn4j.tensor.Tensor;

/**
 * One recorded operation on the tape: it remembers its inputs (and whatever the forward saved) and,
 * given the gradient of the loss with respect to its output, adds the gradients with respect to its
 * inputs into them. Every op class keeps its {@code forward} (a static {@code apply}) and this
 * {@code backward} side by side.
 */
public abstract class Node {
    private final Tensor[] inputs;

    protected Node(Tensor... inputs) {
        this.inputs = inputs;
    }

    /** Inputs of the op, in order; entries may be null (e.g. a conv without bias). */
    public final Tensor[] inputs() {
        return inputs;
    }

    /** A short op name for error messages and graph dumps. */
    public String name() {
        return getClass().getSimpleName();
    }

    /**
     * Accumulates dLoss/dInput into each input that requires a gradient (use {@link #gradOf(Tensor)}).
     * Must not modify {@code gradOutput}.
     */
    protected abstract void backward(float[] gradOutput);

    /** The gradient buffer of {@code t} to add into, or null if {@code t} needs no gradient. */
    protected static float[] gradOf(Tensor t) {
        return t != null && t.requiresGrad() ? t.gradBuffer() : null;
    }

    /** A backward kernel that overwrites all of its output with a gradient. */
    @FunctionalInterface
    protected interface GradientKernel {
        void writeInto(float[] out);
    }

    /**
     * Adds the output of an overwriting backward kernel into {@code t}'s gradient: straight into a fresh
     * buffer (no zero fill, no extra pass) when nothing has been accumulated yet, otherwise through a
     * scratch array that is then added.
     */
    protected static void addGradient(Tensor t, GradientKernel kernel) {
        if (!t.hasGrad()) {
            kernel.writeInto(t.gradBufferForOverwrite());
            return;
        }
        float[] grad = t.gradBuffer(), scratch = BufferPool.floats(grad.length);
        kernel.writeInto(scratch);
        ElementwiseKernels.accumulate(grad, scratch, grad.length);
    }

    /** True when recording is on and any input requires a gradient: only then is a node worth building. */
    public static boolean needsGrad(Tensor... inputs) {
        if (!Autograd.isEnabled()) return false;
        for (Tensor t : inputs) if (t != null && t.requiresGrad()) return true;
        return false;
    }

    final void runBackward(float[] gradOutput) {
        backward(gradOutput);
    }
}
