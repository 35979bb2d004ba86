package org.cnn4j.optim;

import org.cnn4j.autograd.Autograd;
import org.cnn4j.nn.Parameter;

import java.util.List;

/**
 * Updates parameters from their gradients. Frozen parameters (requiresGrad false) and parameters
 * without a gradient yet are skipped, as in PyTorch.
 */
public abstract class Optimizer {
    protected final List<Parameter> params;
    protected float lr;

    protected Optimizer(List<Parameter> params, float lr) {
        if (!(lr > 0) || !Float.isFinite(lr))
            throw new IllegalArgumentException(getClass().getSimpleName() + ": learning rate must be a positive number. Received: lr=" + lr);
        if (params.isEmpty()) throw new IllegalArgumentException(getClass().getSimpleName() + ": no parameters to optimize");
        this.params = List.copyOf(params);
        this.lr = lr;
    }

    /** One update of every trainable parameter that has a gradient. */
    public final void step() {
        try (var ignored = Autograd.noGrad()) {
            for (int i = 0; i < params.size(); i++) {
                Parameter p = params.get(i);
                float[] g = p.gradIfPresent();
                if (p.isTrainable() && g != null) update(i, p.data(), g);
            }
        }
    }

    /** Updates parameter {@code index} (weights {@code w}, gradient {@code g}) in place. */
    protected abstract void update(int index, float[] w, float[] g);

    public final void zeroGrad() {
        for (Parameter p : params) p.zeroGrad();
    }

    public final float learningRate() {
        return lr;
    }

    public final void setLearningRate(float lr) {
        this.lr = lr;
    }
}
