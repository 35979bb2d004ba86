package org.cnn4j.optim;

import org.cnn4j.kernels.OptimizerKernels;
import org.cnn4j.nn.Parameter;

import java.util.List;

/**
 * RMSprop as PyTorch 1.13's {@code torch.optim.RMSprop} (defaults lr 0.01, alpha 0.99, eps 1e-8,
 * weight decay 0 added to the gradient, momentum 0, centered off):
 * <pre>
 * g = grad + wd * w;  sq = alpha sq + (1 - alpha) g^2
 * centered: ga = alpha ga + (1 - alpha) g;  avg = sqrt(sq - ga^2) + eps;   otherwise avg = sqrt(sq) + eps
 * momentum > 0: buf = momentum buf + g / avg;  w -= lr buf;                otherwise w -= lr g / avg
 * </pre>
 * Note eps is added outside the square root (unlike Keras' RMSprop). State: {@code square_avg},
 * {@code grad_avg} (centered), {@code momentum_buffer} (momentum), {@code step}.
 */
public final class RMSprop extends Optimizer {
    private final float alpha, eps;
    private float momentum;
    private final boolean centered;

    public RMSprop(List<Parameter> params, float lr) {
        this(params, lr, 0.99f, 1e-8f, 0f, 0f, false);
    }

    public RMSprop(List<Parameter> params, float lr, float alpha, float eps, float weightDecay, float momentum, boolean centered) {
        super(params, lr, weightDecay);
        if (!(alpha >= 0)) throw invalid("alpha", ">= 0", alpha);
        if (!(eps >= 0)) throw invalid("eps", ">= 0", eps);
        if (!(momentum >= 0)) throw invalid("momentum", ">= 0", momentum);
        this.alpha = alpha;
        this.eps = eps;
        this.momentum = momentum;
        this.centered = centered;
    }

    @Override
    protected void update(int index, ParamGroup group, float[] w, float[] g) {
        float[] sq = state(index, "square_avg", w.length, 0f);
        float[] ga = centered ? state(index, "grad_avg", w.length, 0f) : null;
        float[] buf = momentum > 0 ? state(index, "momentum_buffer", w.length, 0f) : null;
        nextStep(index);
        OptimizerKernels.rmsprop(w, g, sq, ga, buf, (float) group.lr(), alpha, eps, (float) group.weightDecay(), momentum);
    }

    @Override
    protected List<String> elementStateNames() {
        return List.of("square_avg", "grad_avg", "momentum_buffer");
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
