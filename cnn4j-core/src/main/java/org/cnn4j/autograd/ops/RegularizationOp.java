package org.cnn4j.autograd.ops;

import org.cnn4j.autograd.Node;
import org.cnn4j.kernels.OptimizerKernels;
import org.cnn4j.tensor.Tensor;

/** The weight penalty of Keras' L1L2 regularizers over several tensors, as one scalar. */
public final class RegularizationOp {
    private RegularizationOp() {}

    /**
     * forward: {@code y = sum_k (l1[k] * sum|w_k| + l2[k] * sum w_k^2)} (accumulated in double).
     * backward: {@code dw_k += dy * (l1[k] * sign(w_k) + 2 * l2[k] * w_k)}, with sign(0) = 0 as TensorFlow.
     */
    public static Tensor l1l2(Tensor[] weights, float[] l1, float[] l2) {
        if (weights.length != l1.length || weights.length != l2.length)
            throw new IllegalArgumentException("RegularizationOp: " + weights.length + " tensors, " + l1.length + " l1 and "
                    + l2.length + " l2 factors");
        double total = 0;
        for (int k = 0; k < weights.length; k++) total += OptimizerKernels.l1l2Penalty(weights[k].data(), l1[k], l2[k]);
        Tensor out = Tensor.scalar((float) total);
        Tensor[] inputs = weights.clone();
        if (Node.needsGrad(inputs)) out.attach(new Node(inputs) {
            @Override
            protected void backward(float[] dy) {
                for (int k = 0; k < inputs.length; k++) {
                    float[] dw = gradOf(inputs[k]);
                    if (dw != null) OptimizerKernels.addL1L2Gradient(inputs[k].data(), dw, l1[k], l2[k], dy[0]);
                }
            }

            @Override
            public String name() {
                return "L1L2Penalty";
            }
        });
        return out;
    }
}
