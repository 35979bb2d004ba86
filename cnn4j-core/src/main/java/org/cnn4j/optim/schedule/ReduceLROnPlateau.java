package org.cnn4j.optim.schedule;

import org.cnn4j.optim.Optimizer;
import org.cnn4j.optim.ParamGroup;

import java.util.List;
import java.util.Map;

/**
 * PyTorch 1.13's {@code ReduceLROnPlateau}: after {@code patience} epochs without improvement of a
 * monitored metric (by more than {@code threshold}, relative or absolute), multiplies each group's lr
 * by {@code factor} (not below {@code min_lr}; changes smaller than {@code eps} are skipped), then waits
 * {@code cooldown} epochs before counting again. Step it with {@link #step(double)}.
 *
 * <p>{@link #monitor()} names what {@link org.cnn4j.train.Trainer} passes (Keras names):
 * {@code val_loss} (default), {@code val_accuracy}, {@code loss}, {@code accuracy}; a {@code val_}
 * metric falls back to its training value when the Trainer has no test set.
 */
public final class ReduceLROnPlateau extends LRScheduler {
    public enum Mode { MIN, MAX }

    public enum ThresholdMode { REL, ABS }

    private final Mode mode;
    private final double factor, threshold, eps;
    private final int patience, cooldown;
    private final ThresholdMode thresholdMode;
    private final double[] minLrs;
    private String monitor = "val_loss";
    private double best;
    private int numBadEpochs, cooldownCounter;

    /** PyTorch's defaults: mode min, factor 0.1, patience 10, threshold 1e-4 (rel), cooldown 0, min_lr 0, eps 1e-8. */
    public ReduceLROnPlateau(Optimizer optimizer) {
        this(optimizer, Mode.MIN, 0.1, 10, 1e-4, ThresholdMode.REL, 0, 0, 1e-8);
    }

    public ReduceLROnPlateau(Optimizer optimizer, Mode mode, double factor, int patience, double threshold,
                             ThresholdMode thresholdMode, int cooldown, double minLr, double eps) {
        super(optimizer);
        if (mode == null) throw invalid("mode", "MIN or MAX", null);
        if (!(factor < 1.0) || !(factor >= 0)) throw invalid("factor", "in [0, 1)", factor);
        if (patience < 0) throw invalid("patience", ">= 0", patience);
        if (!(threshold >= 0)) throw invalid("threshold", ">= 0", threshold);
        if (thresholdMode == null) throw invalid("threshold_mode", "REL or ABS", null);
        if (cooldown < 0) throw invalid("cooldown", ">= 0", cooldown);
        if (!(minLr >= 0)) throw invalid("min_lr", ">= 0", minLr);
        if (!(eps >= 0)) throw invalid("eps", ">= 0", eps);
        this.mode = mode;
        this.factor = factor;
        this.patience = patience;
        this.threshold = threshold;
        this.thresholdMode = thresholdMode;
        this.cooldown = cooldown;
        this.eps = eps;
        this.minLrs = new double[optimizer.paramGroups().size()];
        java.util.Arrays.fill(minLrs, minLr);
        this.best = mode == Mode.MIN ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
        this.lastEpoch = 0;
    }

    /** Sets the metric the Trainer passes: val_loss, val_accuracy, loss or accuracy. */
    public ReduceLROnPlateau monitor(String metric) {
        if (!List.of("val_loss", "val_accuracy", "loss", "accuracy").contains(metric))
            throw invalid("monitor", "one of val_loss, val_accuracy, loss, accuracy", metric);
        this.monitor = metric;
        return this;
    }

    public String monitor() {
        return monitor;
    }

    @Override
    public boolean needsMetric() {
        return true;
    }

    @Override
    public void step() {
        throw new IllegalStateException("ReduceLROnPlateau needs the monitored metric: call step(metric)");
    }

    @Override
    public void step(double metric) {
        lastEpoch++;
        if (isBetter(metric)) {
            best = metric;
            numBadEpochs = 0;
        } else {
            numBadEpochs++;
        }
        if (cooldownCounter > 0) {
            cooldownCounter--;
            numBadEpochs = 0;
        }
        if (numBadEpochs > patience) {
            List<ParamGroup> groups = optimizer.paramGroups();
            for (int i = 0; i < groups.size(); i++) {
                double old = groups.get(i).lr(), next = Math.max(old * factor, minLrs[i]);
                if (old - next > eps) groups.get(i).setLr(next);
            }
            cooldownCounter = cooldown;
            numBadEpochs = 0;
        }
    }

    private boolean isBetter(double a) {
        if (mode == Mode.MIN)
            return thresholdMode == ThresholdMode.REL ? a < best * (1 - threshold) : a < best - threshold;
        return thresholdMode == ThresholdMode.REL ? a > best * (threshold + 1) : a > best + threshold;
    }

    @Override
    protected double[] computeLr() {
        return currentLrs();
    }

    /** Best metric so far, epochs since it (after cooldown), cooldown epochs left. */
    public double best() {
        return best;
    }

    public int numBadEpochs() {
        return numBadEpochs;
    }

    @Override
    public Map<String, float[]> stateDict() {
        Map<String, float[]> out = super.stateDict();
        out.put("best", encode(best));
        out.put("num_bad_epochs", new float[] {numBadEpochs});
        out.put("cooldown_counter", new float[] {cooldownCounter});
        return out;
    }

    @Override
    public void loadStateDict(Map<String, float[]> state) {
        super.loadStateDict(state);
        best = scalar(state, "best");
        numBadEpochs = (int) scalar(state, "num_bad_epochs");
        cooldownCounter = (int) scalar(state, "cooldown_counter");
    }

    @Override
    public String toString() {
        return "ReduceLROnPlateau(mode=" + mode.name().toLowerCase() + ", factor=" + factor + ", patience=" + patience
                + ", threshold=" + threshold + ", cooldown=" + cooldown + ", min_lr=" + minLrs[0] + ", monitor=" + monitor + ")";
    }
}
