package org.cnn4j.optim;

import org.cnn4j.nn.Parameter;

import java.util.List;

/**
 * Adam as PyTorch 1.13's {@code torch.optim.Adam} (defaults betas 0.9/0.999, eps 1e-8, weight decay 0
 * added to the gradient as an L2 term, amsgrad off):
 * <pre>
 * g = grad + wd * w;  m = b1 m + (1 - b1) g;  v = b2 v + (1 - b2) g^2
 * amsgrad: vmax = max(vmax, v), used instead of v below
 * w -= (lr / (1 - b1^t)) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)
 * </pre>
 * State: {@code exp_avg}, {@code exp_avg_sq}, {@code max_exp_avg_sq} (amsgrad), {@code step}.
 */
public final class Adam extends AdamBase {
    public Adam(List<Parameter> params, float lr) {
        this(params, lr, 0.9f, 0.999f, 1e-8f, 0f, false);
    }

    public Adam(List<Parameter> params, float lr, float beta1, float beta2, float eps, float weightDecay) {
        this(params, lr, beta1, beta2, eps, weightDecay, false);
    }

    public Adam(List<Parameter> params, float lr, float beta1, float beta2, float eps, float weightDecay, boolean amsgrad) {
        super(params, lr, beta1, beta2, eps, weightDecay, amsgrad, false);
    }
}
