package org.cnn4j.optim.schedule;

import org.cnn4j.optim.Optimizer;
import org.cnn4j.optim.ParamGroup;

import java.util.List;

/**
 * PyTorch 1.13's {@code OneCycleLR} (Smith's 1cycle policy), stepped per batch. With the defaults
 * (cosine annealing, two phases): the lr rises from {@code max_lr / div_factor} to {@code max_lr} over
 * the first {@code pct_start} of {@code total_steps}, then falls to
 * {@code max_lr / div_factor / final_div_factor}; with {@code cycle_momentum} the optimizer's momentum
 * (SGD/RMSprop momentum, the Adam family's beta1, see {@link Optimizer#momentum()}) moves inversely
 * between {@code max_momentum} and {@code base_momentum}. Three-phase and linear annealing are
 * available through the full constructor. It may be stepped {@code total_steps} times after
 * construction (PyTorch raises after that; so does this class).
 */
public final class OneCycleLR extends LRScheduler {
    /** How each phase interpolates. */
    public enum Anneal { COS, LINEAR }

    private final int totalSteps;
    private final Anneal anneal;
    private final boolean cycleMomentum;
    private final double baseMomentum, maxMomentum;
    private final double[] initialLr, maxLr, minLr;
    private final double[][] phases; // {end_step, start, end} for lr and momentum: indices into the tables below
    private final int[][] phaseLr, phaseMomentum;

    /** PyTorch's defaults: pct_start 0.3, cos, cycle_momentum (0.85..0.95), div_factor 25, final_div_factor 1e4. */
    public OneCycleLR(Optimizer optimizer, double maxLr, int totalSteps) {
        this(optimizer, maxLr, totalSteps, 0.3, Anneal.COS, true, 0.85, 0.95, 25, 1e4, false);
    }

    public OneCycleLR(Optimizer optimizer, double maxLr, int totalSteps, double pctStart, Anneal anneal, boolean cycleMomentum,
                      double baseMomentum, double maxMomentum, double divFactor, double finalDivFactor, boolean threePhase) {
        super(optimizer);
        if (totalSteps <= 0) throw invalid("total_steps", "a positive integer", totalSteps);
        if (!(pctStart >= 0 && pctStart <= 1)) throw invalid("pct_start", "a number in [0, 1]", pctStart);
        if (!(maxLr > 0) || !Double.isFinite(maxLr)) throw invalid("max_lr", "a positive number", maxLr);
        if (!(divFactor > 0)) throw invalid("div_factor", "a positive number", divFactor);
        if (!(finalDivFactor > 0)) throw invalid("final_div_factor", "a positive number", finalDivFactor);
        if (anneal == null) throw invalid("anneal_strategy", "COS or LINEAR", null);
        if (cycleMomentum && Double.isNaN(optimizer.momentum()))
            throw new IllegalArgumentException("OneCycleLR: optimizer " + optimizer.getClass().getSimpleName()
                    + " has no momentum to cycle; pass cycle_momentum=false");
        this.totalSteps = totalSteps;
        this.anneal = anneal;
        this.cycleMomentum = cycleMomentum;
        this.baseMomentum = baseMomentum;
        this.maxMomentum = maxMomentum;
        List<ParamGroup> groups = optimizer.paramGroups();
        int n = groups.size();
        initialLr = new double[n];
        this.maxLr = new double[n];
        minLr = new double[n];
        for (int i = 0; i < n; i++) {
            initialLr[i] = maxLr / divFactor;
            this.maxLr[i] = maxLr;
            minLr[i] = initialLr[i] / finalDivFactor;
            groups.get(i).setInitialLr(initialLr[i]);
        }
        // lr tables: 0 initial, 1 max, 2 min; momentum tables: 0 max, 1 base
        if (threePhase) {
            phases = new double[][] {{pctStart * totalSteps - 1}, {2 * pctStart * totalSteps - 2}, {totalSteps - 1}};
            phaseLr = new int[][] {{0, 1}, {1, 0}, {0, 2}};
            phaseMomentum = new int[][] {{0, 1}, {1, 0}, {0, 0}};
        } else {
            phases = new double[][] {{pctStart * totalSteps - 1}, {totalSteps - 1}};
            phaseLr = new int[][] {{0, 1}, {1, 2}};
            phaseMomentum = new int[][] {{0, 1}, {1, 0}};
        }
        if (cycleMomentum) optimizer.setMomentum(maxMomentum);
        start();
    }

    private double anneal(double start, double end, double pct) {
        return anneal == Anneal.COS ? end + (start - end) / 2.0 * (Math.cos(Math.PI * pct) + 1) : (end - start) * pct + start;
    }

    @Override
    protected double[] computeLr() {
        int stepNum = lastEpoch;
        if (stepNum > totalSteps)
            throw new IllegalStateException("OneCycleLR: tried to step " + (stepNum + 1) + " times; total_steps is " + totalSteps);
        double[] lrs = new double[initialLr.length];
        double momentum = Double.NaN;
        for (int g = 0; g < lrs.length; g++) {
            double startStep = 0;
            for (int p = 0; p < phases.length; p++) {
                double endStep = phases[p][0];
                if (stepNum <= endStep || p == phases.length - 1) {
                    double pct = (stepNum - startStep) / (endStep - startStep);
                    double[] lrTable = {initialLr[g], maxLr[g], minLr[g]};
                    lrs[g] = anneal(lrTable[phaseLr[p][0]], lrTable[phaseLr[p][1]], pct);
                    double[] mTable = {maxMomentum, baseMomentum};
                    momentum = anneal(mTable[phaseMomentum[p][0]], mTable[phaseMomentum[p][1]], pct);
                    break;
                }
                startStep = endStep;
            }
        }
        if (cycleMomentum) optimizer.setMomentum(momentum);
        return lrs;
    }

    @Override
    public Interval interval() {
        return Interval.STEP;
    }

    @Override
    public String toString() {
        return "OneCycleLR(max_lr=" + maxLr[0] + ", total_steps=" + totalSteps + ", anneal=" + anneal.name().toLowerCase() + ")";
    }
}
