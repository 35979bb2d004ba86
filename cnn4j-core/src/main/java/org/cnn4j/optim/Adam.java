package org.cnn4j.optim;

import org.cnn4j.kernels.OptimizerKernels;
import org.cnn4j.nn.Parameter;

import java.util.List;

/**
 * Adam with PyTorch's defaults (betas 0.9/0.999, eps 1e-8, L2 weight decay added to the gradient):
 * m = b1 m + (1 - b1) g;  v = b2 v + (1 - b2) g^2;
 * w -= lr * (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps).
 */
public final class Adam extends Optimizer {
    private final float beta1, beta2, eps, weightDecay;
    private final float[][] m, v;
    private final int[] steps;

    public Adam(List<Parameter> params, float lr) {
        this(params, lr, 0.9f, 0.999f, 1e-8f, 0f);
    }

    public Adam(List<Parameter> params, float lr, float beta1, float beta2, float eps, float weightDecay) {
        super(params, lr);
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1))
            throw new IllegalArgumentException("Adam: betas must be in [0, 1). Received: betas=(" + beta1 + ", " + beta2 + ")");
        if (!(eps >= 0) || !(weightDecay >= 0))
            throw new IllegalArgumentException("Adam: eps and weight decay must be >= 0. Received: eps=" + eps
                    + ", weight_decay=" + weightDecay);
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.m = new float[this.params.size()][];
        this.v = new float[this.params.size()][];
        this.steps = new int[this.params.size()];
    }

    @Override
    protected void update(int index, float[] w, float[] g) {
        if (m[index] == null) {
            m[index] = new float[w.length];
            v[index] = new float[w.length];
        }
        int t = ++steps[index];
        double bc1 = 1 - Math.pow(beta1, t), bc2 = 1 - Math.pow(beta2, t);
        OptimizerKernels.adam(w, g, m[index], v[index], beta1, beta2, eps, weightDecay, (float) (lr / bc1),
                (float) Math.sqrt(bc2));
    }
}
