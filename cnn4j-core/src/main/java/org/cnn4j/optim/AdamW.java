package org.cnn4j.optim;

import org.cnn4j.nn.Parameter;

import java.util.List;

/**
 * AdamW (Loshchilov and Hutter, decoupled weight decay) as PyTorch 1.13's {@code torch.optim.AdamW}
 * (defaults lr 1e-3, betas 0.9/0.999, eps 1e-8, weight decay 0.01, amsgrad off): first
 * {@code w *= 1 - lr * wd}, then Adam's update with the raw gradient (see {@link Adam}). The decay uses
 * the group's current lr, so schedules scale it too, as in PyTorch.
 */
public final class AdamW extends AdamBase {
    public AdamW(List<Parameter> params, float lr) {
        this(params, lr, 0.9f, 0.999f, 1e-8f, 1e-2f, false);
    }

    public AdamW(List<Parameter> params, float lr, float beta1, float beta2, float eps, float weightDecay, boolean amsgrad) {
        super(params, lr, beta1, beta2, eps, weightDecay, amsgrad, true);
    }
}
