package org.cnn4j.optim;

import org.cnn4j.kernels.OptimizerKernels;
import org.cnn4j.nn.Parameter;

import java.util.List;

/**
 * Adagrad as PyTorch 1.13's {@code torch.optim.Adagrad} (defaults lr 0.01, lr_decay 0, weight decay 0
 * added to the gradient, initial_accumulator_value 0, eps 1e-10), dense gradients:
 * <pre>
 * g = grad + wd * w;  clr = lr / (1 + (t - 1) lr_decay);  sum += g^2;  w -= clr g / (sqrt(sum) + eps)
 * </pre>
 * State: {@code sum} (starts at initial_accumulator_value), {@code step}.
 */
public final class Adagrad extends Optimizer {
    private final float lrDecay, initialAccumulatorValue, eps;

    public Adagrad(List<Parameter> params, float lr) {
        this(params, lr, 0f, 0f, 0f, 1e-10f);
    }

    public Adagrad(List<Parameter> params, float lr, float lrDecay, float weightDecay, float initialAccumulatorValue, float eps) {
        super(params, lr, weightDecay);
        if (!(lrDecay >= 0)) throw invalid("lr_decay", ">= 0", lrDecay);
        if (!(initialAccumulatorValue >= 0)) throw invalid("initial_accumulator_value", ">= 0", initialAccumulatorValue);
        if (!(eps >= 0)) throw invalid("eps", ">= 0", eps);
        this.lrDecay = lrDecay;
        this.initialAccumulatorValue = initialAccumulatorValue;
        this.eps = eps;
    }

    @Override
    protected void update(int index, ParamGroup group, float[] w, float[] g) {
        float[] sum = state(index, "sum", w.length, initialAccumulatorValue);
        int t = nextStep(index);
        double clr = group.lr() / (1 + (t - 1) * (double) lrDecay);
        OptimizerKernels.adagrad(w, g, sum, (float) clr, eps, (float) group.weightDecay());
    }

    @Override
    protected List<String> elementStateNames() {
        return List.of("sum");
    }
}
