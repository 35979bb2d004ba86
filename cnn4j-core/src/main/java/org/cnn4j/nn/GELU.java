package org.cnn4j.nn;

import org.cnn4j.autograd.ops.ActivationOp;
import org.cnn4j.tensor.Tensor;

/**
 * Gaussian error linear unit (PyTorch's GELU): x * Phi(x) = 0.5 x (1 + erf(x / sqrt 2)) by default
 * ({@code approximate = "none"}), or PyTorch's tanh approximation ({@code approximate = "tanh"}):
 * 0.5 x (1 + tanh(sqrt(2 / pi) (x + 0.044715 x^3))).
 */
public final class GELU extends Module {
    private final boolean tanh;

    public GELU() {
        this("none");
    }

    /** {@code approximate}: "none" (exact, erf) or "tanh", as PyTorch's argument. */
    public GELU(String approximate) {
        if (!"none".equals(approximate) && !"tanh".equals(approximate))
            throw new IllegalArgumentException("GELU: approximate must be 'none' or 'tanh'. Received: approximate=" + approximate);
        this.tanh = "tanh".equals(approximate);
    }

    public String approximate() {
        return tanh ? "tanh" : "none";
    }

    @Override
    public Tensor forward(Tensor input) {
        return ActivationOp.gelu(input, tanh);
    }

    @Override
    public String describe() {
        return tanh ? "GELU approximate=tanh" : "GELU";
    }
}
