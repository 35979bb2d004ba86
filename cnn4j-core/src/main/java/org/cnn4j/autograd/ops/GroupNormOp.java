package org.cnn4j.autograd.ops;

import org.cnn4j.autograd.Node;
import org.cnn4j.kernels.NormKernels;
import org.cnn4j.tensor.BufferPool;
import org.cnn4j.tensor.Tensor;

/** Group normalisation of [N, C, *] (PyTorch's F.group_norm). */
public final class GroupNormOp {
    private GroupNormOp() {}

    /**
     * Channels split into {@code groups} groups of C / groups consecutive channels.
     * forward: per (sample, group) mean and biased var over the group's channels and positions;
     * xhat = (x - mean) / sqrt(var + eps); y = gamma[c] * xhat + beta[c] (per channel, or both null).
     * backward: g = dy * gamma[c]; dx = invstd * (g - mean(g) - xhat * mean(g * xhat)) per (sample, group);
     *           dgamma[c] += sum of dy * xhat over the samples and positions of channel c; dbeta[c] += sum of dy.
     * The caller checks rank >= 2 and that groups divides C.
     */
    public static Tensor apply(Tensor x, int groups, Tensor gamma, Tensor beta, float eps) {
        int n = x.size(0), c = x.size(1), inner = n * c == 0 ? 0 : x.numel() / (n * c);
        float[] y = BufferPool.floats(x.numel()), mean = new float[n * groups], invStd = new float[n * groups];
        float[] g = gamma == null ? null : gamma.data(), b = beta == null ? null : beta.data();
        NormKernels.groupNormForward(x.data(), n, c, inner, groups, g, b, eps, y, mean, invStd);
        Tensor out = new Tensor(y, x.shape());
        if (Node.needsGrad(x, gamma, beta)) out.attach(new Node(x, gamma, beta) {
            @Override
            protected void backward(float[] dy) {
                float[] dGamma = gradOf(gamma), dBeta = gradOf(beta);
                if (x.requiresGrad()) {
                    addGradient(x, dx -> NormKernels.groupNormBackward(x.data(), dy, n, c, inner, groups, g, mean, invStd, dx, dGamma, dBeta));
                } else {
                    NormKernels.groupNormBackward(x.data(), dy, n, c, inner, groups, g, mean, invStd, null, dGamma, dBeta);
                }
            }

            @Override
            public String name() {
                return "GroupNorm";
            }
        });
        return out;
    }
}
