package org.cnn4j.nn;

import org.cnn4j.autograd.ops.LinearOp;
import org.cnn4j.tensor.Rng;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;

/** Fully connected layer: [N, in] -> [N, out], y = x W^T + b, weight [out, in] as in PyTorch (Keras' Dense). */
public final class Linear extends Module {
    private final int inFeatures, outFeatures;
    private final Parameter weight, bias;

    public Linear(int inFeatures, int outFeatures) {
        this(inFeatures, outFeatures, true, Init.PYTORCH_DEFAULT);
    }

    public Linear(int inFeatures, int outFeatures, boolean bias, Init init) {
        if (inFeatures <= 0 || outFeatures <= 0)
            throw new IllegalArgumentException("Linear: feature counts must be positive. Received: in_features="
                    + inFeatures + ", out_features=" + outFeatures);
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
        Tensor w = Tensor.zeros(outFeatures, inFeatures);
        init.fill(w, inFeatures, outFeatures, Rng.global());
        weight = registerParameter("weight", Parameter.of(w));
        if (bias) {
            Tensor b = Tensor.zeros(outFeatures);
            Init.PYTORCH_DEFAULT.fill(b, inFeatures, outFeatures, Rng.global());
            this.bias = registerParameter("bias", Parameter.of(b));
        } else {
            this.bias = null;
        }
    }

    public Parameter weight() {
        return weight;
    }

    public Parameter bias() {
        return bias;
    }

    public int inFeatures() {
        return inFeatures;
    }

    public int outFeatures() {
        return outFeatures;
    }

    @Override
    public Tensor forward(Tensor input) {
        if (input.rank() != 2 || input.size(1) != inFeatures)
            throw shapeError("input " + Shape.str(input.shape()) + " does not match [N, " + inFeatures + "]"
                    + (input.rank() > 2 ? " (flatten it first: " + Shape.size(java.util.Arrays.copyOfRange(input.shape(), 1, input.rank()))
                    + " features per sample)" : ""));
        return LinearOp.apply(input, weight, bias);
    }

    @Override
    public String describe() {
        return "Linear " + inFeatures + "->" + outFeatures + (bias == null ? ", no bias" : "");
    }
}
