package org.cnn4j.optim;

import org.cnn4j.kernels.OptimizerKernels;
import org.cnn4j.nn.Parameter;

import java.util.List;

/** Adam and AdamW: the same moments and bias corrections, weight decay coupled (L2) or decoupled. */
abstract sealed class AdamBase extends Optimizer permits Adam, AdamW {
    private float beta1;
    private final float beta2, eps;
    private final boolean amsgrad, decoupled;

    AdamBase(List<Parameter> params, float lr, float beta1, float beta2, float eps, float weightDecay, boolean amsgrad,
             boolean decoupled) {
        super(params, lr, weightDecay);
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1))
            throw new IllegalArgumentException(getClass().getSimpleName() + ": betas must be in [0, 1). Received: betas=("
                    + beta1 + ", " + beta2 + ")");
        if (!(eps >= 0)) throw invalid("eps", ">= 0", eps);
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.amsgrad = amsgrad;
        this.decoupled = decoupled;
    }

    @Override
    protected final void update(int index, ParamGroup group, float[] w, float[] g) {
        float[] m = state(index, "exp_avg", w.length, 0f), v = state(index, "exp_avg_sq", w.length, 0f);
        float[] vmax = amsgrad ? state(index, "max_exp_avg_sq", w.length, 0f) : null;
        int t = nextStep(index);
        double lr = group.lr(), wd = group.weightDecay();
        double bc1 = 1 - Math.pow(beta1, t), bc2 = 1 - Math.pow(beta2, t);
        float decay = decoupled ? (float) (1 - lr * wd) : 1f;
        float l2 = decoupled ? 0f : (float) wd;
        OptimizerKernels.adam(w, g, m, v, vmax, beta1, beta2, eps, l2, decay, (float) (lr / bc1), (float) Math.sqrt(bc2));
    }

    @Override
    protected final List<String> elementStateNames() {
        return amsgrad ? List.of("exp_avg", "exp_avg_sq", "max_exp_avg_sq") : List.of("exp_avg", "exp_avg_sq");
    }

    /** beta1, which OneCycleLR cycles as PyTorch does ({@code betas[0]}). */
    @Override
    public final double momentum() {
        return beta1;
    }

    @Override
    public final void setMomentum(double beta1) {
        if (!(beta1 >= 0 && beta1 < 1)) throw invalid("beta1", "in [0, 1)", beta1);
        this.beta1 = (float) beta1;
    }

    public final boolean amsgrad() {
        return amsgrad;
    }
}
