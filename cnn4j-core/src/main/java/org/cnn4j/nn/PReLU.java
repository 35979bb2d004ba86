package org.cnn4j.nn;

import org.cnn4j.autograd.ops.ActivationOp;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;

/**
 * Parametric ReLU (PyTorch's PReLU): x > 0 ? x : a * x with a learnable {@code weight} of
 * {@code num_parameters} elements, either 1 (shared) or the number of channels C (dimension 1 of the
 * input), initialised to {@code init} (default 0.25). The weight is a parameter named "weight", as in
 * PyTorch's state dict.
 */
public final class PReLU extends Module {
    private final int numParameters;
    private final Parameter weight;

    public PReLU() {
        this(1, 0.25f);
    }

    public PReLU(int numParameters) {
        this(numParameters, 0.25f);
    }

    public PReLU(int numParameters, float init) {
        if (numParameters < 1)
            throw new IllegalArgumentException("PReLU: num_parameters must be 1 or the number of channels (>= 1). Received: num_parameters="
                    + numParameters);
        if (!Float.isFinite(init))
            throw new IllegalArgumentException("PReLU: init must be a finite number. Received: init=" + init);
        this.numParameters = numParameters;
        weight = registerParameter("weight", Parameter.of(Tensor.full(init, numParameters)));
    }

    public Parameter weight() {
        return weight;
    }

    @Override
    public Tensor forward(Tensor input) {
        int[] s = input.shape();
        if (numParameters > 1 && (s.length < 2 || s[1] != numParameters))
            throw shapeError("input " + Shape.str(s) + " needs " + numParameters + " channels in dimension 1 ([N, "
                    + numParameters + ", *]), one per weight; use num_parameters=1 for a shared weight");
        return ActivationOp.prelu(input, weight);
    }

    @Override
    public String describe() {
        return "PReLU num_parameters=" + numParameters;
    }
}
