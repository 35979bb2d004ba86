package org.cnn4j.optim.schedule;

import org.cnn4j.optim.Optimizer;

/** PyTorch's {@code ExponentialLR}: multiplies each group's lr by {@code gamma} every epoch. */
public final class ExponentialLR extends LRScheduler {
    private final double gamma;

    public ExponentialLR(Optimizer optimizer, double gamma) {
        super(optimizer);
        if (!(gamma > 0) || !Double.isFinite(gamma)) throw invalid("gamma", "a positive number", gamma);
        this.gamma = gamma;
        start();
    }

    @Override
    protected double[] computeLr() {
        double[] lr = currentLrs();
        if (lastEpoch == 0) return lr;
        for (int i = 0; i < lr.length; i++) lr[i] *= gamma;
        return lr;
    }

    @Override
    public String toString() {
        return "ExponentialLR(gamma=" + gamma + ")";
    }
}
