package org.cnn4j.optim;

import org.cnn4j.nn.Parameter;

import java.util.List;

/**
 * A parameter group, as PyTorch's {@code optimizer.param_groups[i]}: a list of parameters with its own
 * learning rate and weight decay (e.g. a pretrained backbone at 1e-4 and a new head at 1e-3 in transfer
 * learning). Values left unset take the optimizer's defaults when the group is added, as PyTorch's
 * {@code add_param_group} does.
 *
 * <pre>{@code
 * var opt = new SGD(head.parameters(), 1e-2f, 0.9f, 0f, 0f, false);
 * opt.addParamGroup(ParamGroup.of(backbone.parameters()).withLr(1e-4).withWeightDecay(0));
 * }</pre>
 *
 * <p>The learning rate is a double, as in PyTorch, so that schedules multiply it without float
 * round-off; kernels receive it as float.
 */
public final class ParamGroup {
    private final List<Parameter> params;
    private double lr = Double.NaN, weightDecay = Double.NaN, initialLr = Double.NaN;

    private ParamGroup(List<Parameter> params) {
        if (params == null || params.isEmpty()) throw new IllegalArgumentException("ParamGroup: no parameters");
        for (Parameter p : params) if (p == null) throw new IllegalArgumentException("ParamGroup: null parameter");
        this.params = List.copyOf(params);
    }

    public static ParamGroup of(List<Parameter> params) {
        return new ParamGroup(params);
    }

    /** This group's learning rate (instead of the optimizer's default). */
    public ParamGroup withLr(double lr) {
        if (!(lr >= 0) || !Double.isFinite(lr))
            throw new IllegalArgumentException("ParamGroup: lr must be a finite number >= 0. Received: lr=" + lr);
        this.lr = lr;
        return this;
    }

    /** This group's weight decay (instead of the optimizer's default). */
    public ParamGroup withWeightDecay(double weightDecay) {
        if (!(weightDecay >= 0) || !Double.isFinite(weightDecay))
            throw new IllegalArgumentException("ParamGroup: weight_decay must be a finite number >= 0. Received: weight_decay="
                    + weightDecay);
        this.weightDecay = weightDecay;
        return this;
    }

    public List<Parameter> params() {
        return params;
    }

    /** The current learning rate (what schedules change). */
    public double lr() {
        return lr;
    }

    /**
     * Sets the current learning rate. Any finite value is accepted, as PyTorch does (OneCycleLR's linear
     * annealing, stepped past its end, extrapolates below zero).
     */
    public void setLr(double lr) {
        if (!Double.isFinite(lr))
            throw new IllegalArgumentException("ParamGroup: lr must be finite. Received: lr=" + lr);
        this.lr = lr;
    }

    public double weightDecay() {
        return weightDecay;
    }

    /**
     * PyTorch's {@code group['initial_lr']}: the base learning rate schedules scale, set by the first
     * scheduler attached to the optimizer (NaN until then).
     */
    public double initialLr() {
        return initialLr;
    }

    public void setInitialLr(double initialLr) {
        this.initialLr = initialLr;
    }

    void fillDefaults(double defaultLr, double defaultWeightDecay) {
        if (Double.isNaN(lr)) lr = defaultLr;
        if (Double.isNaN(weightDecay)) weightDecay = defaultWeightDecay;
    }

    void setWeightDecayUnchecked(double wd) {
        weightDecay = wd;
    }
}
