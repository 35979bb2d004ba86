package org.cnn4j.optim;

import org.cnn4j.autograd.Autograd;
import org.cnn4j.nn.Parameter;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Updates parameters from their gradients, as PyTorch's {@code torch.optim.Optimizer}: parameters
 * live in {@link ParamGroup}s, each with its own learning rate and weight decay (the constructor makes
 * the first group; {@link #addParamGroup} adds more); per-parameter state (moments, momentum buffers,
 * step counts) is created at a parameter's first update and can be exported and restored with
 * {@link #stateDict()} / {@link #loadStateDict(Map)}. Frozen parameters (requiresGrad false) and
 * parameters without a gradient are skipped, as in PyTorch.
 */
public abstract class Optimizer {
    private final List<ParamGroup> groups = new ArrayList<>();
    private final List<Parameter> flat = new ArrayList<>();
    private final List<Map<String, float[]>> state = new ArrayList<>();
    private final IdentityHashMap<Parameter, Integer> index = new IdentityHashMap<>();
    private final double defaultLr, defaultWeightDecay;

    protected Optimizer(List<Parameter> params, float lr) {
        this(params, lr, 0);
    }

    /** The first group holds {@code params}; {@code lr} and {@code weightDecay} are the defaults of later groups. */
    protected Optimizer(List<Parameter> params, double lr, double weightDecay) {
        String name = getClass().getSimpleName();
        if (!(lr > 0) || !Double.isFinite(lr))
            throw new IllegalArgumentException(name + ": learning rate must be a positive number. Received: lr=" + lr);
        if (!(weightDecay >= 0) || !Double.isFinite(weightDecay))
            throw new IllegalArgumentException(name + ": weight_decay must be a finite number >= 0. Received: weight_decay="
                    + weightDecay);
        if (params == null || params.isEmpty()) throw new IllegalArgumentException(name + ": no parameters to optimize");
        this.defaultLr = lr;
        this.defaultWeightDecay = weightDecay;
        addParamGroup(ParamGroup.of(params));
    }

    /**
     * Adds a group (PyTorch's {@code add_param_group}); its unset lr and weight decay take this
     * optimizer's defaults. A parameter may belong to one group only.
     */
    public Optimizer addParamGroup(ParamGroup group) {
        for (Parameter p : group.params())
            if (index.containsKey(p))
                throw new IllegalArgumentException(getClass().getSimpleName() + ": a parameter of shape "
                        + java.util.Arrays.toString(p.shape()) + " appears in more than one parameter group");
        group.fillDefaults(defaultLr, defaultWeightDecay);
        groups.add(group);
        for (Parameter p : group.params()) {
            index.put(p, flat.size());
            flat.add(p);
            state.add(new LinkedHashMap<>());
        }
        return this;
    }

    public final List<ParamGroup> paramGroups() {
        return Collections.unmodifiableList(groups);
    }

    /** All parameters, group by group (the order of the indices in {@link #stateDict()}). */
    public final List<Parameter> parameters() {
        return Collections.unmodifiableList(flat);
    }

    /** One update of every trainable parameter that has a gradient. */
    public final void step() {
        try (var ignored = Autograd.noGrad()) {
            int i = 0;
            for (ParamGroup group : groups) {
                for (Parameter p : group.params()) {
                    float[] g = p.gradIfPresent();
                    if (p.isTrainable() && g != null) update(i, group, p.data(), g);
                    i++;
                }
            }
        }
    }

    /** Updates parameter {@code index} (weights {@code w}, gradient {@code g}) of {@code group} in place. */
    protected abstract void update(int index, ParamGroup group, float[] w, float[] g);

    /** Names of the per-element state arrays of one parameter (e.g. exp_avg, exp_avg_sq). */
    protected abstract List<String> elementStateNames();

    /** Names of the one-element state arrays of one parameter (by default only {@code step}). */
    protected List<String> scalarStateNames() {
        return List.of("step");
    }

    /** State array {@code name} of parameter {@code index}, created filled with {@code initial} on first use. */
    protected final float[] state(int index, String name, int length, float initial) {
        return state.get(index).computeIfAbsent(name, k -> {
            float[] a = new float[length];
            if (initial != 0) java.util.Arrays.fill(a, initial);
            return a;
        });
    }

    /** State array {@code name} of parameter {@code index}, or null before its first use. */
    protected final float[] stateOrNull(int index, String name) {
        return state.get(index).get(name);
    }

    /** Increments and returns the step count of parameter {@code index} (PyTorch's {@code state['step']}). */
    protected final int nextStep(int index) {
        float[] s = state(index, "step", 1, 0f);
        s[0] += 1;
        return (int) s[0];
    }

    public final void zeroGrad() {
        for (Parameter p : flat) p.zeroGrad();
    }

    /** The learning rate of the first group. */
    public final float learningRate() {
        return (float) groups.get(0).lr();
    }

    /** Sets the learning rate of every group. */
    public final void setLearningRate(float lr) {
        for (ParamGroup g : groups) g.setLr(lr);
    }

    /**
     * The momentum that {@link org.cnn4j.optim.schedule.OneCycleLR} cycles: SGD's and RMSprop's
     * momentum, the Adam family's beta1 (as PyTorch, which uses {@code betas[0]} when the optimizer has
     * betas); NaN when this optimizer has none.
     */
    public double momentum() {
        return Double.NaN;
    }

    /** Sets the value {@link #momentum()} returns (for every group). */
    public void setMomentum(double momentum) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " has no momentum to set");
    }

    // ------------------------------------------------------------------ state dict

    /**
     * Everything needed to resume: per-parameter state as {@code state.<i>.<name>} (i = the parameter's
     * position in {@link #parameters()}, as PyTorch numbers them; per-element arrays have the
     * parameter's length, {@code step} and other scalars one element), and per group
     * {@code param_groups.<g>.lr}, {@code .weight_decay} and {@code .initial_lr} (when a scheduler set
     * it) as three floats {@code {hi, mid, lo}} whose sum in double is the exact value, plus
     * {@code momentum} when the optimizer has one. Arrays are copies.
     */
    public final Map<String, float[]> stateDict() {
        Map<String, float[]> out = new LinkedHashMap<>();
        for (int i = 0; i < state.size(); i++)
            for (var e : state.get(i).entrySet()) out.put("state." + i + "." + e.getKey(), e.getValue().clone());
        for (int g = 0; g < groups.size(); g++) {
            ParamGroup group = groups.get(g);
            out.put("param_groups." + g + ".lr", encode(group.lr()));
            out.put("param_groups." + g + ".weight_decay", encode(group.weightDecay()));
            if (!Double.isNaN(group.initialLr())) out.put("param_groups." + g + ".initial_lr", encode(group.initialLr()));
        }
        if (!Double.isNaN(momentum())) out.put("momentum", encode(momentum()));
        return out;
    }

    /**
     * Restores what {@link #stateDict()} exported from an optimizer of the same class over parameters
     * of the same shapes and grouping. Replaces all per-parameter state; every key must be known and
     * every array of the right length, otherwise nothing changes and the error names the key.
     */
    public final void loadStateDict(Map<String, float[]> dict) {
        String name = getClass().getSimpleName();
        List<Map<String, float[]>> fresh = new ArrayList<>();
        for (int i = 0; i < flat.size(); i++) fresh.add(new LinkedHashMap<>());
        Map<String, float[]> hyper = new LinkedHashMap<>();
        List<String> elementNames = elementStateNames(), scalarNames = scalarStateNames();
        for (var e : dict.entrySet()) {
            String key = e.getKey();
            float[] v = e.getValue();
            if (v == null) throw new IllegalArgumentException(name + ": state dict entry '" + key + "' is null");
            if (key.startsWith("state.")) {
                int dot = key.indexOf('.', 6);
                int i = dot < 0 ? -1 : parseIndex(key.substring(6, dot));
                if (i < 0 || i >= flat.size())
                    throw new IllegalArgumentException(name + ": state dict entry '" + key + "' names no parameter (this optimizer has "
                            + flat.size() + ", indices 0.." + (flat.size() - 1) + ")");
                String s = key.substring(dot + 1);
                int expected;
                if (elementNames.contains(s)) expected = flat.get(i).numel();
                else if (scalarNames.contains(s)) expected = 1;
                else throw new IllegalArgumentException(name + ": state dict entry '" + key + "' has unknown state '" + s
                            + "'; known: " + elementNames + " and " + scalarNames);
                if (v.length != expected)
                    throw new IllegalArgumentException(name + ": state dict entry '" + key + "' has " + v.length
                            + " values, parameter " + i + " needs " + expected);
                fresh.get(i).put(s, v.clone());
            } else if (key.startsWith("param_groups.")) {
                int dot = key.indexOf('.', 13);
                int g = dot < 0 ? -1 : parseIndex(key.substring(13, dot));
                String field = dot < 0 ? "" : key.substring(dot + 1);
                if (g < 0 || g >= groups.size())
                    throw new IllegalArgumentException(name + ": state dict entry '" + key + "' names no parameter group (this optimizer has "
                            + groups.size() + ")");
                if (!List.of("lr", "weight_decay", "initial_lr").contains(field))
                    throw new IllegalArgumentException(name + ": state dict entry '" + key
                            + "' is unknown; groups have lr, weight_decay, initial_lr");
                checkScalar(key, v);
                hyper.put(key, v);
            } else if (key.equals("momentum")) {
                if (Double.isNaN(momentum()))
                    throw new IllegalArgumentException(name + ": state dict has a momentum, this optimizer has none");
                checkScalar(key, v);
                hyper.put(key, v);
            } else {
                throw new IllegalArgumentException(name + ": unknown state dict entry '" + key
                        + "'; expected state.<i>.<name>, param_groups.<g>.<field> or momentum");
            }
        }
        for (int i = 0; i < flat.size(); i++) {
            state.get(i).clear();
            state.get(i).putAll(fresh.get(i));
        }
        for (var e : hyper.entrySet()) {
            double value = decode(e.getValue());
            String key = e.getKey();
            if (key.equals("momentum")) {
                setMomentum(value);
                continue;
            }
            int dot = key.indexOf('.', 13);
            ParamGroup group = groups.get(Integer.parseInt(key.substring(13, dot)));
            switch (key.substring(dot + 1)) {
                case "lr" -> group.setLr(value);
                case "weight_decay" -> group.setWeightDecayUnchecked(value);
                default -> group.setInitialLr(value);
            }
        }
    }

    private void checkScalar(String key, float[] v) {
        if (v.length < 1 || v.length > 3)
            throw new IllegalArgumentException(getClass().getSimpleName() + ": state dict entry '" + key + "' has " + v.length
                    + " values, expected 1 to 3 ({hi, mid, lo})");
    }

    private static int parseIndex(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * A double as three floats {hi, mid, lo} whose sum (in double, in that order) is exactly {@code v}:
     * hi = (float) v, mid = (float) (v - hi), lo = (float) (v - hi - mid); each remainder is exact in double.
     */
    static float[] encode(double v) {
        if (!Double.isFinite(v)) return new float[] {(float) v, 0f, 0f};
        float hi = (float) v;
        float mid = (float) (v - hi);
        return new float[] {hi, mid, (float) (v - hi - mid)};
    }

    /** Inverse of {@link #encode}; one float is read as is. */
    static double decode(float[] a) {
        double v = 0;
        for (float f : a) v += f;
        return v;
    }

    /** {@code IllegalArgumentException} for a hyper-parameter outside {@code [lo, hi)}-style bounds. */
    protected final IllegalArgumentException invalid(String what, String valid, Object received) {
        return new IllegalArgumentException(getClass().getSimpleName() + ": " + what + " must be " + valid + ". Received: "
                + what + "=" + received);
    }
}
