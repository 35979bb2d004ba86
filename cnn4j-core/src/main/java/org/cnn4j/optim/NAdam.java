package org.cnn4j.optim;

import org.cnn4j.kernels.OptimizerKernels;
import org.cnn4j.nn.Parameter;

import java.util.List;

/**
 * NAdam (Dozat, Nesterov momentum in Adam) as PyTorch 1.13's {@code torch.optim.NAdam} (defaults lr
 * 2e-3, betas 0.9/0.999, eps 1e-8, weight decay 0 added to the gradient, momentum_decay 4e-3), the
 * default single-tensor code path:
 * <pre>
 * g = grad + wd * w
 * mu_t = b1 (1 - 0.5 * 0.96^(t psi));  mu_{t+1} = b1 (1 - 0.5 * 0.96^((t+1) psi))      (psi = momentum_decay)
 * mu_product *= mu_t;  mu_product_next = mu_product * mu_t * mu_{t+1}                  (float32, as PyTorch 1.13)
 * m = b1 m + (1 - b1) g;  v = b2 v + (1 - b2) g^2;  denom = sqrt(v / (1 - b2^t)) + eps
 * w -= lr (1 - mu_t) / (1 - mu_product) * g / denom
 * w -= lr mu_{t+1} / (1 - mu_product_next) * m / denom
 * </pre>
 * PyTorch 1.13 multiplies {@code mu_t} into {@code mu_product_next} a second time (PyTorch 2.0 dropped
 * it: {@code mu_product * mu_{t+1}}); this class follows 1.13, which its fixture checks. The difference
 * shrinks the second coefficient slightly and vanishes as the product goes to 0.
 * State: {@code exp_avg}, {@code exp_avg_sq}, {@code step}, {@code mu_product}.
 */
public final class NAdam extends Optimizer {
    private float beta1;
    private final float beta2, eps, momentumDecay;

    public NAdam(List<Parameter> params, float lr) {
        this(params, lr, 0.9f, 0.999f, 1e-8f, 0f, 4e-3f);
    }

    public NAdam(List<Parameter> params, float lr, float beta1, float beta2, float eps, float weightDecay, float momentumDecay) {
        super(params, lr, weightDecay);
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1))
            throw new IllegalArgumentException("NAdam: betas must be in [0, 1). Received: betas=(" + beta1 + ", " + beta2 + ")");
        if (!(eps >= 0)) throw invalid("eps", ">= 0", eps);
        if (!(momentumDecay >= 0)) throw invalid("momentum_decay", ">= 0", momentumDecay);
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.momentumDecay = momentumDecay;
    }

    @Override
    protected void update(int index, ParamGroup group, float[] w, float[] g) {
        float[] m = state(index, "exp_avg", w.length, 0f), v = state(index, "exp_avg_sq", w.length, 0f);
        float[] muProduct = state(index, "mu_product", 1, 1f);
        int t = nextStep(index);
        double lr = group.lr();
        double bc2 = 1 - Math.pow(beta2, t);
        double mu = beta1 * (1. - 0.5 * Math.pow(0.96, t * (double) momentumDecay));
        double muNext = beta1 * (1. - 0.5 * Math.pow(0.96, (t + 1) * (double) momentumDecay));
        muProduct[0] = muProduct[0] * (float) mu;                               // float32 tensor in PyTorch
        float muProductNext = muProduct[0] * (float) mu * (float) muNext;
        double gradCoef = -lr * (1. - mu) / (1. - muProduct[0]);
        double momentumCoef = -lr * muNext / (1. - muProductNext);
        OptimizerKernels.nadam(w, g, m, v, beta1, beta2, eps, (float) group.weightDecay(), (float) bc2, (float) gradCoef,
                (float) momentumCoef);
    }

    @Override
    protected List<String> elementStateNames() {
        return List.of("exp_avg", "exp_avg_sq");
    }

    @Override
    protected List<String> scalarStateNames() {
        return List.of("step", "mu_product");
    }

    /** beta1, which OneCycleLR cycles as PyTorch does ({@code betas[0]}). */
    @Override
    public double momentum() {
        return beta1;
    }

    @Override
    public void setMomentum(double beta1) {
        if (!(beta1 >= 0 && beta1 < 1)) throw invalid("beta1", "in [0, 1)", beta1);
        this.beta1 = (float) beta1;
    }
}
