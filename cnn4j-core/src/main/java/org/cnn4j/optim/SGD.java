package org.cnn4j.optim;

import org.cnn4j.kernels.OptimizerKernels;
import org.cnn4j.nn.Parameter;

import java.util.List;

/**
 * Stochastic gradient descent with momentum, Nesterov and weight decay, exactly PyTorch's update:
 * g = grad + wd * w;  b = momentum * b + (1 - dampening) * g (b = g on the first step);
 * g = nesterov ? g + momentum * b : b;  w -= lr * g.
 */
public final class SGD extends Optimizer {
    private final float momentum, dampening, weightDecay;
    private final boolean nesterov;
    private final float[][] buffers;

    public SGD(List<Parameter> params, float lr) {
        this(params, lr, 0f, 0f, 0f, false);
    }

    public SGD(List<Parameter> params, float lr, float momentum, float dampening, float weightDecay, boolean nesterov) {
        super(params, lr);
        if (momentum < 0 || weightDecay < 0 || dampening < 0)
            throw new IllegalArgumentException("SGD: momentum, dampening and weight decay must be >= 0. Received: momentum="
                    + momentum + ", dampening=" + dampening + ", weight_decay=" + weightDecay);
        if (nesterov && (momentum <= 0 || dampening != 0))
            throw new IllegalArgumentException("SGD: Nesterov momentum requires a momentum and zero dampening. Received: momentum="
                    + momentum + ", dampening=" + dampening);
        this.momentum = momentum;
        this.dampening = dampening;
        this.weightDecay = weightDecay;
        this.nesterov = nesterov;
        this.buffers = new float[this.params.size()][];
    }

    @Override
    protected void update(int index, float[] w, float[] g) {
        boolean first = momentum != 0 && buffers[index] == null;
        if (first) buffers[index] = new float[w.length];
        OptimizerKernels.sgd(w, g, momentum != 0 ? buffers[index] : null, first, lr, momentum, dampening, weightDecay, nesterov);
    }
}
