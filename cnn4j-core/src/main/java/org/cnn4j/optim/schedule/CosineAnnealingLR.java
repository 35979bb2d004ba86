package org.cnn4j.optim.schedule;

import org.cnn4j.optim.Optimizer;

/**
 * PyTorch's {@code CosineAnnealingLR} (SGDR without restarts): over {@code tMax} epochs the lr follows
 * {@code eta_min + (base - eta_min) (1 + cos(pi epoch / T_max)) / 2}, computed with PyTorch's recursive
 * form (which, past {@code T_max}, continues the cosine back up as PyTorch does).
 */
public final class CosineAnnealingLR extends LRScheduler {
    private final int tMax;
    private final double etaMin;

    public CosineAnnealingLR(Optimizer optimizer, int tMax) {
        this(optimizer, tMax, 0);
    }

    public CosineAnnealingLR(Optimizer optimizer, int tMax, double etaMin) {
        super(optimizer);
        if (tMax <= 0) throw invalid("T_max", "a positive integer", tMax);
        if (!(etaMin >= 0) || !Double.isFinite(etaMin)) throw invalid("eta_min", "a number >= 0", etaMin);
        this.tMax = tMax;
        this.etaMin = etaMin;
        start();
    }

    @Override
    protected double[] computeLr() {
        double[] lr = currentLrs();
        if (lastEpoch == 0) return lr;
        if (Math.floorMod(lastEpoch - 1 - tMax, 2 * tMax) == 0) {
            for (int i = 0; i < lr.length; i++) lr[i] = lr[i] + (baseLrs[i] - etaMin) * (1 - Math.cos(Math.PI / tMax)) / 2;
            return lr;
        }
        for (int i = 0; i < lr.length; i++)
            lr[i] = (1 + Math.cos(Math.PI * lastEpoch / tMax)) / (1 + Math.cos(Math.PI * (lastEpoch - 1) / tMax))
                    * (lr[i] - etaMin) + etaMin;
        return lr;
    }

    @Override
    public String toString() {
        return "CosineAnnealingLR(T_max=" + tMax + ", eta_min=" + etaMin + ")";
    }
}
