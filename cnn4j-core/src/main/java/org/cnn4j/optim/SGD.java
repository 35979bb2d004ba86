package org.cnn4j.optim;

import org.cnn4j.kernels.OptimizerKernels;
import org.cnn4j.nn.Parameter;

import java.util.List;

/**
 * Stochastic gradient descent with momentum, dampening, Nesterov and (coupled, L2) weight decay,
 * exactly PyTorch 1.13's {@code torch.optim.SGD}:
 * {@code g = grad + wd * w;  b = momentum * b + (1 - dampening) * g} ({@code b = g} on the first step);
 * {@code g = nesterov ? g + momentum * b : b;  w -= lr * g}. State: {@code momentum_buffer}.
 */
public final class SGD extends Optimizer {
    private float momentum;
    private final float dampening;
    private final boolean nesterov;

    public SGD(List<Parameter> params, float lr) {
        this(params, lr, 0f, 0f, 0f, false);
    }

    public SGD(List<Parameter> params, float lr, float momentum, float dampening, float weightDecay, boolean nesterov) {
        super(params, lr, weightDecay);
        if (!(momentum >= 0) || !(dampening >= 0))
            throw new IllegalArgumentException("SGD: momentum, dampening and weight decay must be >= 0. Received: momentum="
                    + momentum + ", dampening=" + dampening + ", weight_decay=" + weightDecay);
        if (nesterov && (momentum <= 0 || dampening != 0))
            throw new IllegalArgumentException("SGD: Nesterov momentum requires a momentum and zero dampening. Received: momentum="
                    + momentum + ", dampening=" + dampening);
        this.momentum = momentum;
        this.dampening = dampening;
        this.nesterov = nesterov;
    }

    @Override
    protected void update(int index, ParamGroup group, float[] w, float[] g) {
        float lr = (float) group.lr(), wd = (float) group.weightDecay();
        if (momentum == 0) {
            OptimizerKernels.sgd(w, g, null, false, lr, 0f, dampening, wd, false);
            return;
        }
        boolean first = stateOrNull(index, "momentum_buffer") == null;
        float[] buf = state(index, "momentum_buffer", w.length, 0f);
        OptimizerKernels.sgd(w, g, buf, first, lr, momentum, dampening, wd, nesterov);
    }

    @Override
    protected List<String> elementStateNames() {
        return List.of("momentum_buffer");
    }

    @Override
    protected List<String> scalarStateNames() {
        return List.of();
    }

    @Override
    public double momentum() {
        return momentum;
    }

    @Override
    public void setMomentum(double momentum) {
        if (!(momentum >= 0)) throw invalid("momentum", ">= 0", momentum);
        this.momentum = (float) momentum;
    }
}
