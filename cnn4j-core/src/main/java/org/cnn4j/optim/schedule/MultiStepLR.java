package org.cnn4j.optim.schedule;

import org.cnn4j.optim.Optimizer;

import java.util.Arrays;

/**
 * PyTorch's {@code MultiStepLR}: multiplies each group's lr by {@code gamma} at each milestone epoch
 * (a milestone listed twice counts twice), {@code lr = base * gamma^(number of milestones <= epoch)}.
 */
public final class MultiStepLR extends LRScheduler {
    private final int[] milestones;
    private final double gamma;

    public MultiStepLR(Optimizer optimizer, int[] milestones, double gamma) {
        super(optimizer);
        if (milestones == null || milestones.length == 0) throw invalid("milestones", "a non-empty list", Arrays.toString(milestones));
        for (int m : milestones) if (m <= 0) throw invalid("milestones", "positive epochs", Arrays.toString(milestones));
        if (!(gamma > 0) || !Double.isFinite(gamma)) throw invalid("gamma", "a positive number", gamma);
        this.milestones = milestones.clone();
        Arrays.sort(this.milestones);
        this.gamma = gamma;
        start();
    }

    @Override
    protected double[] computeLr() {
        double[] lr = currentLrs();
        int count = 0;
        for (int m : milestones) if (m == lastEpoch) count++;
        if (count == 0) return lr;
        double f = Math.pow(gamma, count);
        for (int i = 0; i < lr.length; i++) lr[i] *= f;
        return lr;
    }

    @Override
    public String toString() {
        return "MultiStepLR(milestones=" + Arrays.toString(milestones) + ", gamma=" + gamma + ")";
    }
}
