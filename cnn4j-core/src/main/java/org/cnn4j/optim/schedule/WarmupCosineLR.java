package org.cnn4j.optim.schedule;

import org.cnn4j.optim.Optimizer;

/**
 * Linear warm-up then cosine decay, stepped per batch: the schedule of Hugging Face's
 * {@code get_cosine_schedule_with_warmup} (a PyTorch {@code LambdaLR}), with an optional floor:
 * <pre>
 * step s &lt; W:  lr = base * s / W
 * otherwise:  p = min(1, (s - W) / max(1, T - W));  lr = min_lr + (base - min_lr) (1 + cos(pi p)) / 2
 * </pre>
 * with W = warm-up steps and T = total steps. The first step runs at lr 0 when W &gt; 0, as in that
 * function; after T steps the lr stays at {@code min_lr}.
 */
public final class WarmupCosineLR extends LRScheduler {
    private final int warmupSteps, totalSteps;
    private final double minLr;

    public WarmupCosineLR(Optimizer optimizer, int warmupSteps, int totalSteps) {
        this(optimizer, warmupSteps, totalSteps, 0);
    }

    public WarmupCosineLR(Optimizer optimizer, int warmupSteps, int totalSteps, double minLr) {
        super(optimizer);
        if (warmupSteps < 0) throw invalid("warmup_steps", ">= 0", warmupSteps);
        if (totalSteps <= 0 || totalSteps < warmupSteps) throw invalid("total_steps", "positive and >= warmup_steps (" + warmupSteps + ")", totalSteps);
        if (!(minLr >= 0) || !Double.isFinite(minLr)) throw invalid("min_lr", "a number >= 0", minLr);
        this.warmupSteps = warmupSteps;
        this.totalSteps = totalSteps;
        this.minLr = minLr;
        start();
    }

    @Override
    protected double[] computeLr() {
        double[] lr = baseLrs();
        int s = lastEpoch;
        for (int i = 0; i < lr.length; i++) {
            if (s < warmupSteps) {
                lr[i] = lr[i] * ((double) s / Math.max(1, warmupSteps));
            } else {
                double p = Math.min(1.0, (double) (s - warmupSteps) / Math.max(1, totalSteps - warmupSteps));
                lr[i] = minLr + (lr[i] - minLr) * 0.5 * (1.0 + Math.cos(Math.PI * p));
            }
        }
        return lr;
    }

    @Override
    public Interval interval() {
        return Interval.STEP;
    }

    @Override
    public String toString() {
        return "WarmupCosineLR(warmup_steps=" + warmupSteps + ", total_steps=" + totalSteps + ", min_lr=" + minLr + ")";
    }
}
