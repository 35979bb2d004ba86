package org.cnn4j.autograd.ops;

import org.cnn4j.autograd.Node;
import org.cnn4j.kernels.NormKernels;
import org.cnn4j.tensor.BufferPool;
import org.cnn4j.tensor.Tensor;

/** Layer normalisation over the last dimensions of a tensor (PyTorch's F.layer_norm). */
public final class LayerNormOp {
    private LayerNormOp() {}

    /**
     * x viewed as [rows, d], d = the product of the normalised (trailing) dimensions.
     * forward: per row mean, biased var; xhat = (x - mean) / sqrt(var + eps); y = gamma * xhat + beta
     * (gamma, beta of d elements, or both null).
     * backward: g = dy * gamma; dx = invstd * (g - mean(g) - xhat * mean(g * xhat)) per row;
     *           dgamma += sum over rows of dy * xhat; dbeta += sum over rows of dy.
     * The caller checks that the trailing dimensions hold d elements.
     */
    public static Tensor apply(Tensor x, int d, Tensor gamma, Tensor beta, float eps) {
        int rows = d == 0 ? 0 : x.numel() / d;
        float[] y = BufferPool.floats(x.numel()), mean = new float[rows], invStd = new float[rows];
        float[] g = gamma == null ? null : gamma.data(), b = beta == null ? null : beta.data();
        NormKernels.layerNormForward(x.data(), rows, d, g, b, eps, y, mean, invStd);
        Tensor out = new Tensor(y, x.shape());
        if (Node.needsGrad(x, gamma, beta)) out.attach(new Node(x, gamma, beta) {
            @Override
            protected void backward(float[] dy) {
                float[] dGamma = gradOf(gamma), dBeta = gradOf(beta);
                if (x.requiresGrad()) {
                    addGradient(x, dx -> NormKernels.layerNormBackward(x.data(), dy, rows, d, g, mean, invStd, dx, null, null));
                }
                NormKernels.layerNormBackward(x.data(), dy, rows, d, g, mean, invStd, null, dGamma, dBeta);
            }

            @Override
            public String name() {
                return "LayerNorm";
            }
        });
        return out;
    }
}
