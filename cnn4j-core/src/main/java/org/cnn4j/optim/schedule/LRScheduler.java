package org.cnn4j.optim.schedule;

import org.cnn4j.optim.Optimizer;
import org.cnn4j.optim.ParamGroup;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A learning-rate schedule, as PyTorch 1.13's {@code torch.optim.lr_scheduler._LRScheduler}: it sets
 * the lr of every {@link ParamGroup} of its optimizer. Construction records each group's base lr
 * ({@code initial_lr}) and performs the initial step (epoch 0); afterwards call {@link #step()} once
 * per epoch after the epoch's optimizer steps, or once per batch for {@link Interval#STEP} schedules
 * ({@link org.cnn4j.train.Trainer} does so when given the scheduler). Schedules compute the next lr
 * from the current one with PyTorch's own (chainable) formulas, so they produce PyTorch's sequences.
 */
public abstract class LRScheduler {
    /** When the scheduler steps: after each epoch or after each optimizer step (batch). */
    public enum Interval { EPOCH, STEP }

    protected final Optimizer optimizer;
    protected double[] baseLrs;
    protected int lastEpoch = -1;
    private int stepCount;
    private double[] lastLr;

    protected LRScheduler(Optimizer optimizer) {
        if (optimizer == null) throw new IllegalArgumentException(getClass().getSimpleName() + ": optimizer is null");
        this.optimizer = optimizer;
    }

    /**
     * PyTorch's {@code _LRScheduler.__init__} tail: sets each group's {@code initial_lr} unless set,
     * records the base lrs and performs the initial step. Subclass constructors call it last.
     */
    protected final void start() {
        List<ParamGroup> groups = optimizer.paramGroups();
        baseLrs = new double[groups.size()];
        for (int i = 0; i < baseLrs.length; i++) {
            ParamGroup g = groups.get(i);
            if (Double.isNaN(g.initialLr())) g.setInitialLr(g.lr());
            baseLrs[i] = g.initialLr();
        }
        step();
    }

    /** Advances one epoch (or one batch for {@link Interval#STEP} schedules) and sets the new lrs. */
    public void step() {
        stepCount++;
        lastEpoch++;
        double[] lrs = computeLr();
        List<ParamGroup> groups = optimizer.paramGroups();
        for (int i = 0; i < lrs.length; i++) groups.get(i).setLr(lrs[i]);
        lastLr = lrs.clone();
    }

    /**
     * Steps with a monitored metric; only {@link ReduceLROnPlateau} uses it, others ignore the value.
     */
    public void step(double metric) {
        step();
    }

    /** True when {@link #step(double)} needs a metric (ReduceLROnPlateau). */
    public boolean needsMetric() {
        return false;
    }

    /** PyTorch's {@code get_lr()}: the lrs for {@link #lastEpoch} (already advanced), per group. */
    protected abstract double[] computeLr();

    public Interval interval() {
        return Interval.EPOCH;
    }

    /** PyTorch's {@code get_last_lr()}: the lrs the last step set, per group. */
    public final double[] lastLr() {
        return lastLr == null ? currentLrs() : lastLr.clone();
    }

    /** Epochs (or batches) stepped since construction; 0 right after it. */
    public final int lastEpoch() {
        return lastEpoch;
    }

    protected final double[] currentLrs() {
        List<ParamGroup> groups = optimizer.paramGroups();
        double[] out = new double[groups.size()];
        for (int i = 0; i < out.length; i++) out[i] = groups.get(i).lr();
        return out;
    }

    protected final double[] baseLrs() {
        return baseLrs.clone();
    }

    /** Counters and base lrs as named float arrays (doubles as exact {hi, mid, lo} triples), for checkpoints. */
    public Map<String, float[]> stateDict() {
        Map<String, float[]> out = new LinkedHashMap<>();
        out.put("last_epoch", new float[] {lastEpoch});
        out.put("step_count", new float[] {stepCount});
        if (baseLrs != null) out.put("base_lrs", encode(baseLrs));
        if (lastLr != null) out.put("last_lr", encode(lastLr));
        return out;
    }

    /** Restores {@link #stateDict()} (the group lrs themselves travel with the optimizer's state). */
    public void loadStateDict(Map<String, float[]> state) {
        lastEpoch = (int) scalar(state, "last_epoch");
        stepCount = (int) scalar(state, "step_count");
        if (state.containsKey("base_lrs")) baseLrs = decode(state.get("base_lrs"), optimizer.paramGroups().size(), "base_lrs");
        if (state.containsKey("last_lr")) lastLr = decode(state.get("last_lr"), optimizer.paramGroups().size(), "last_lr");
    }

    protected final double scalar(Map<String, float[]> state, String key) {
        float[] v = state.get(key);
        if (v == null || v.length < 1 || v.length > 3)
            throw new IllegalArgumentException(getClass().getSimpleName() + ": state dict needs '" + key + "' (1 to 3 floats)");
        double d = 0;
        for (float f : v) d += f;
        return d;
    }

    /** Doubles as exact {hi, mid, lo} float triples (see {@link Optimizer#stateDict()}). */
    protected static float[] encode(double... values) {
        float[] out = new float[3 * values.length];
        for (int i = 0; i < values.length; i++) {
            double v = values[i];
            float hi = (float) v;
            float mid = Double.isFinite(v) ? (float) (v - hi) : 0f;
            out[3 * i] = hi;
            out[3 * i + 1] = mid;
            out[3 * i + 2] = Double.isFinite(v) ? (float) (v - hi - mid) : 0f;
        }
        return out;
    }

    private double[] decode(float[] a, int n, String key) {
        if (a.length != 3 * n)
            throw new IllegalArgumentException(getClass().getSimpleName() + ": state dict entry '" + key + "' has " + a.length
                    + " floats, expected " + 3 * n + " ({hi, mid, lo} per parameter group)");
        double[] out = new double[n];
        for (int i = 0; i < n; i++) out[i] = (double) a[3 * i] + a[3 * i + 1] + a[3 * i + 2];
        return out;
    }

    protected final IllegalArgumentException invalid(String what, String valid, Object received) {
        return new IllegalArgumentException(getClass().getSimpleName() + ": " + what + " must be " + valid + ". Received: "
                + what + "=" + received);
    }

    @Override
    public String toString() {
        return getClass().getSimpleName();
    }
}
