package org.cnn4j.optim.schedule;

import org.cnn4j.optim.Optimizer;

/**
 * PyTorch's {@code StepLR}: multiplies each group's lr by {@code gamma} every {@code stepSize} epochs,
 * {@code lr = base * gamma^floor(epoch / stepSize)}.
 */
public final class StepLR extends LRScheduler {
    private final int stepSize;
    private final double gamma;

    public StepLR(Optimizer optimizer, int stepSize) {
        this(optimizer, stepSize, 0.1);
    }

    public StepLR(Optimizer optimizer, int stepSize, double gamma) {
        super(optimizer);
        if (stepSize <= 0) throw invalid("step_size", "a positive integer", stepSize);
        if (!(gamma > 0) || !Double.isFinite(gamma)) throw invalid("gamma", "a positive number", gamma);
        this.stepSize = stepSize;
        this.gamma = gamma;
        start();
    }

    @Override
    protected double[] computeLr() {
        double[] lr = currentLrs();
        if (lastEpoch == 0 || lastEpoch % stepSize != 0) return lr;
        for (int i = 0; i < lr.length; i++) lr[i] *= gamma;
        return lr;
    }

    @Override
    public String toString() {
        return "StepLR(step_size=" + stepSize + ", gamma=" + gamma + ")";
    }
}
