package org.cnn4j.nn;

import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Base of every layer and model, as PyTorch's {@code nn.Module}: named parameters, buffers and child
 * modules in registration order (so {@link #stateDict()} keys equal PyTorch's), train/eval mode, and
 * forward hooks.
 *
 * <p>Subclasses implement {@link #forward(Tensor)}; callers invoke {@link #call(Tensor)} (PyTorch's
 * {@code model(x)}), which also runs the hooks used by summaries and feature-map tools.
 */
public abstract class Module {
    private final Map<String, Parameter> parameters = new LinkedHashMap<>();
    private final Map<String, Tensor> buffers = new LinkedHashMap<>();
    private final Map<String, Module> children = new LinkedHashMap<>();
    private final List<ForwardHook> hooks = new ArrayList<>();
    private Module parent;
    private String name = "";
    private boolean training = true;
    private boolean frozen;

    /** Receives each call's input and output, after forward. */
    @FunctionalInterface
    public interface ForwardHook {
        void afterForward(Module module, Tensor input, Tensor output);
    }

    /** The computation. Call {@link #call(Tensor)} rather than this, as PyTorch calls {@code model(x)}. */
    public abstract Tensor forward(Tensor input);

    /** Runs {@link #forward(Tensor)} and the forward hooks. */
    public final Tensor call(Tensor input) {
        Tensor output = forward(input);
        for (ForwardHook hook : hooks) hook.afterForward(this, input, output);
        return output;
    }

    /** A one-line description with the hyper-parameters, e.g. {@code Conv2d 32->64, k3, s1, p0}. */
    public String describe() {
        return getClass().getSimpleName();
    }

    // ---------------------------------------------------------------- registration

    protected final <P extends Parameter> P registerParameter(String name, P parameter) {
        checkName(name);
        if (parameter != null) parameters.put(name, parameter);
        return parameter;
    }

    protected final Tensor registerBuffer(String name, Tensor buffer) {
        checkName(name);
        buffers.put(name, buffer);
        return buffer;
    }

    protected final <M extends Module> M registerModule(String name, M module) {
        checkName(name);
        Module child = module; // private fields are not reachable through the type variable
        if (child.parent != null && child.parent != this)
            throw new IllegalArgumentException("module " + child.describe() + " already belongs to '" + child.parent.path() + "'");
        child.parent = this;
        child.name = name;
        children.put(name, child);
        return module;
    }

    private void checkName(String name) {
        if (name == null || name.isEmpty() || name.contains("."))
            throw new IllegalArgumentException("invalid member name '" + name + "' (non-empty, no dots)");
        if (parameters.containsKey(name) || buffers.containsKey(name) || children.containsKey(name))
            throw new IllegalArgumentException("'" + name + "' is already registered in " + describe());
    }

    // ---------------------------------------------------------------- structure

    /** Dotted path from the root, e.g. {@code layer2.0}; empty for the root. */
    public final String path() {
        if (parent == null) return "";
        String p = parent.path();
        return p.isEmpty() ? name : p + "." + name;
    }

    public final Map<String, Module> children() {
        return Collections.unmodifiableMap(children);
    }

    /** This module's own parameters (not its children's). */
    public final Map<String, Parameter> localParameters() {
        return Collections.unmodifiableMap(parameters);
    }

    /** This module's own buffers (not its children's). */
    public final Map<String, Tensor> localBuffers() {
        return Collections.unmodifiableMap(buffers);
    }

    /** All modules, depth first, this one first, with their paths relative to this one. */
    public final Map<String, Module> namedModules() {
        Map<String, Module> out = new LinkedHashMap<>();
        visit("", (prefix, m) -> out.put(prefix, m));
        return out;
    }

    private void visit(String prefix, BiConsumer<String, Module> visitor) {
        visitor.accept(prefix, this);
        for (var e : children.entrySet()) e.getValue().visit(join(prefix, e.getKey()), visitor);
    }

    /** All parameters with PyTorch-style dotted names, in registration order. */
    public final Map<String, Parameter> namedParameters() {
        Map<String, Parameter> out = new LinkedHashMap<>();
        visit("", (prefix, m) -> m.parameters.forEach((k, p) -> out.put(join(prefix, k), p)));
        return out;
    }

    public final List<Parameter> parameters() {
        return new ArrayList<>(namedParameters().values());
    }

    /**
     * The sum of the penalties of all parameters that carry a {@link Regularizer} (Keras'
     * {@code sum(model.losses)}), as a differentiable scalar: add it to the loss before
     * {@code backward()}. A scalar 0 without a graph when no parameter has one. Frozen parameters add
     * their penalty to the value but receive no gradient.
     */
    public final Tensor regularizationLoss() {
        List<Tensor> ws = new ArrayList<>();
        List<Regularizer> rs = new ArrayList<>();
        for (Parameter p : parameters())
            if (p.regularizer() != null) {
                ws.add(p);
                rs.add(p.regularizer());
            }
        if (ws.isEmpty()) return Tensor.scalar(0f);
        float[] l1 = new float[rs.size()], l2 = new float[rs.size()];
        for (int i = 0; i < l1.length; i++) {
            l1[i] = (float) rs.get(i).l1();
            l2[i] = (float) rs.get(i).l2();
        }
        return org.cnn4j.autograd.ops.RegularizationOp.l1l2(ws.toArray(new Tensor[0]), l1, l2);
    }

    /** True when some parameter carries a {@link Regularizer}. */
    public final boolean hasRegularizers() {
        for (Parameter p : parameters()) if (p.regularizer() != null) return true;
        return false;
    }

    public final long parameterCount() {
        long n = 0;
        for (Parameter p : parameters()) n += p.numel();
        return n;
    }

    public final long trainableParameterCount() {
        long n = 0;
        for (Parameter p : parameters()) if (p.isTrainable()) n += p.numel();
        return n;
    }

    /** Parameters then buffers per module, depth first: the order and names of PyTorch's state_dict. */
    public final Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        visit("", (prefix, m) -> {
            m.parameters.forEach((k, p) -> out.put(join(prefix, k), p));
            m.buffers.forEach((k, b) -> out.put(join(prefix, k), b));
        });
        return out;
    }

    /**
     * Copies values into this module's parameters and buffers. With {@code strict}, missing and
     * unexpected keys are an error listing them; shapes must always match.
     */
    public final void loadStateDict(Map<String, Tensor> state, boolean strict) {
        Map<String, Tensor> own = stateDict();
        List<String> missing = new ArrayList<>(), unexpected = new ArrayList<>();
        for (String k : own.keySet()) if (!state.containsKey(k)) missing.add(k);
        for (String k : state.keySet()) if (!own.containsKey(k)) unexpected.add(k);
        if (strict && (!missing.isEmpty() || !unexpected.isEmpty()))
            throw new IllegalArgumentException("state dict does not match " + describe() + ": missing keys " + missing
                    + ", unexpected keys " + unexpected);
        for (var e : own.entrySet()) {
            Tensor src = state.get(e.getKey());
            if (src == null) continue;
            Tensor dst = e.getValue();
            if (src.numel() != dst.numel() || (src.rank() != dst.rank() && src.numel() != 1))
                throw new IllegalArgumentException("state dict entry '" + e.getKey() + "' has shape " + Shape.str(src.shape())
                        + ", the model expects " + Shape.str(dst.shape()));
            if (src.rank() == dst.rank() && !java.util.Arrays.equals(src.shape(), dst.shape()))
                throw new IllegalArgumentException("state dict entry '" + e.getKey() + "' has shape " + Shape.str(src.shape())
                        + ", the model expects " + Shape.str(dst.shape()));
            System.arraycopy(src.data(), 0, dst.data(), 0, dst.numel());
        }
    }

    private static String join(String prefix, String name) {
        return prefix.isEmpty() ? name : prefix + "." + name;
    }

    // ---------------------------------------------------------------- modes and hooks

    /** Sets training mode here and in all children (dropout active, batch statistics used). */
    public Module train(boolean on) {
        training = on;
        for (Module c : children.values()) c.train(on);
        return this;
    }

    public final Module eval() {
        return train(false);
    }

    /**
     * True in training mode. A frozen {@link BatchNorm} ({@link #freeze()}) always answers false: it
     * normalises with its running statistics and does not update them, as Keras does for a BatchNormalization
     * layer with {@code trainable = False}, so fine-tuning the layers above it leaves the backbone unchanged.
     */
    public final boolean isTraining() {
        return training && !(frozen && this instanceof BatchNorm);
    }

    /** Clears gradients of all parameters. */
    public final void zeroGrad() {
        for (Parameter p : parameters()) p.zeroGrad();
    }

    /** Freezes or unfreezes all parameters of this module and its children. */
    public final Module requiresGrad(boolean on) {
        for (Parameter p : parameters()) p.requiresGrad(on);
        return this;
    }

    // ---------------------------------------------------------------- transfer learning

    /**
     * Freezes this module and everything inside it: parameters stop requiring gradients (optimizers skip
     * them, {@link #trainableParameterCount()} leaves them out) and batch norm layers stay in evaluation
     * mode whatever {@link #train(boolean)} says (see {@link #isTraining()}).
     */
    public final Module freeze() {
        visit("", (prefix, m) -> m.setFrozen(true));
        return this;
    }

    /** Undoes {@link #freeze()} for this module and everything inside it. */
    public final Module unfreeze() {
        visit("", (prefix, m) -> m.setFrozen(false));
        return this;
    }

    /** True after {@link #freeze()} (until {@link #unfreeze()}). */
    public final boolean isFrozen() {
        return frozen;
    }

    /** Freezes or unfreezes this module's own parameters (not its children's) and its batch-norm mode. */
    public final void setFrozen(boolean on) {
        frozen = on;
        for (Parameter p : parameters.values()) p.requiresGrad(!on);
    }

    /**
     * Freezes every module up to and including the one at {@code path} (a dotted path as in
     * {@link #namedModules()}, e.g. {@code layer3} or {@code features.10}), in registration order, and
     * unfreezes every module after it: {@code resnet.freezeUntil("layer3")} trains only layer4 and fc.
     * Modules that contain {@code path} (its ancestors) are split: their earlier children freeze, their
     * later ones train.
     *
     * @throws IllegalArgumentException when no module has that path (the message lists the top-level ones)
     */
    public final Module freezeUntil(String path) {
        Map<String, Module> all = namedModules();
        if (path == null || path.isEmpty() || !all.containsKey(path))
            throw new IllegalArgumentException("freezeUntil: " + describe() + " has no module '" + path + "'; its children are "
                    + children.keySet() + " (use dotted paths such as " + examplePath() + " for nested ones)");
        boolean after = false;
        for (var e : all.entrySet()) {
            String p = e.getKey();
            boolean inTarget = p.equals(path) || p.startsWith(path + ".");
            boolean ancestor = p.isEmpty() || path.startsWith(p + ".");
            if (after && !inTarget) {
                e.getValue().setFrozen(false);
            } else if (!ancestor) {
                e.getValue().setFrozen(true);
                if (inTarget) after = true;
            } else {
                e.getValue().setFrozen(false); // an ancestor's own parameters (rare) stay trainable
            }
        }
        return this;
    }

    private String examplePath() {
        for (String p : namedModules().keySet()) if (p.contains(".")) return p;
        return "'a.b'";
    }

    /** The module at a dotted path ({@code ""} is this one). */
    public final Module module(String path) {
        Module m = namedModules().get(path);
        if (m == null)
            throw new IllegalArgumentException(describe() + " has no module '" + path + "'; its children are " + children.keySet());
        return m;
    }

    /**
     * Replaces the child at a dotted path (PyTorch's {@code model.fc = nn.Linear(512, 2)}), keeping its
     * position and name, so state-dict keys stay the same: {@code resnet.replace("fc", new Linear(512, 2))},
     * {@code vgg.replace("classifier.6", new Linear(4096, 2))}. Fields of the parent that referred to the
     * old child (as {@code ResNet.fc} does) now refer to the new one, so the parent's forward uses it. The
     * new module takes the parent's training mode; the old one is detached and returned.
     *
     * @throws IllegalArgumentException when the path names no child, or a field of the parent holding the
     *         old child is declared with a type the replacement does not have
     */
    public final Module replace(String path, Module replacement) {
        if (replacement == null) throw new IllegalArgumentException("replace: the replacement for '" + path + "' is null");
        int dot = path == null ? -1 : path.lastIndexOf('.');
        Module parentModule = dot < 0 ? this : module(path.substring(0, dot));
        String childName = dot < 0 ? path : path.substring(dot + 1);
        Module old = parentModule.children.get(childName);
        if (old == null)
            throw new IllegalArgumentException("replace: " + describe() + " has no module '" + path + "'; "
                    + (dot < 0 ? "its" : "'" + path.substring(0, dot) + "' has") + " children " + parentModule.children.keySet());
        if (replacement.parent != null)
            throw new IllegalArgumentException("replace: module " + replacement.describe() + " already belongs to '" + replacement.parent.path() + "'");
        if (parentModule.getClass().getName().equals("org.cnn4j.graph.Model"))
            throw new IllegalArgumentException("replace: '" + path + "' belongs to a functional graph.Model, whose wiring is fixed when "
                    + "it is built; apply the new layer to the graph and build a new Model instead");
        parentModule.rebindFields(old, replacement, childName);
        // A LinkedHashMap keeps the position of a key that is put again.
        parentModule.children.put(childName, replacement);
        replacement.parent = parentModule;
        replacement.name = childName;
        replacement.train(parentModule.training);
        old.parent = null;
        old.name = "";
        return old;
    }

    /** Points fields (and Module[] / List elements) of this module that hold {@code old} at {@code replacement}. */
    private void rebindFields(Module old, Module replacement, String childName) {
        List<Runnable> updates = new ArrayList<>();
        for (Class<?> c = getClass(); c != null && c != Module.class; c = c.getSuperclass()) {
            for (java.lang.reflect.Field f : c.getDeclaredFields()) {
                if (java.lang.reflect.Modifier.isStatic(f.getModifiers()) || f.getType().isPrimitive()) continue;
                Object value;
                try {
                    f.setAccessible(true);
                    value = f.get(this);
                } catch (ReflectiveOperationException | RuntimeException e) {
                    continue;
                }
                if (value == old) {
                    if (!f.getType().isInstance(replacement))
                        throw new IllegalArgumentException("replace: " + describe() + " keeps '" + childName + "' in field '" + f.getName()
                                + "' of type " + f.getType().getSimpleName() + "; the replacement " + replacement.describe()
                                + " is a " + replacement.getClass().getSimpleName() + ", not a " + f.getType().getSimpleName());
                    updates.add(() -> {
                        try {
                            f.set(this, replacement);
                        } catch (IllegalAccessException e) {
                            throw new IllegalStateException("replace: cannot update field '" + f.getName() + "' of " + describe(), e);
                        }
                    });
                } else if (value instanceof Module[] array) {
                    for (int i = 0; i < array.length; i++)
                        if (array[i] == old) {
                            int at = i;
                            if (!array.getClass().getComponentType().isInstance(replacement))
                                throw new IllegalArgumentException("replace: " + describe() + " keeps '" + childName + "' in an array of "
                                        + array.getClass().getComponentType().getSimpleName() + "; the replacement is a "
                                        + replacement.getClass().getSimpleName());
                            updates.add(() -> array[at] = replacement);
                        }
                } else if (value instanceof List<?> list) {
                    for (int i = 0; i < list.size(); i++)
                        if (list.get(i) == old) {
                            int at = i;
                            @SuppressWarnings("unchecked") List<Object> l = (List<Object>) list;
                            updates.add(() -> l.set(at, replacement));
                        }
                }
            }
        }
        for (Runnable r : updates) r.run();
    }

    public final void addForwardHook(ForwardHook hook) {
        hooks.add(hook);
    }

    public final void removeForwardHook(ForwardHook hook) {
        hooks.remove(hook);
    }

    /**
     * Runs the forward hooks as {@link #call(Tensor)} does; for modules with another calling form (the
     * multi-input {@link MultiInputModule#call(Tensor...)}), which pass their first input.
     */
    protected final void runForwardHooks(Tensor input, Tensor output) {
        for (ForwardHook hook : hooks) hook.afterForward(this, input, output);
    }

    /** True when a forward hook observes this module (fused fast paths then step aside). */
    public final boolean hasForwardHooks() {
        return !hooks.isEmpty();
    }

    /** An error that names this layer, as {@code layer2.0 (Conv2d 32->64, k3, s1, p0): message}. */
    protected final IllegalArgumentException shapeError(String message) {
        String where = path().isEmpty() ? describe() : path() + " (" + describe() + ")";
        return new IllegalArgumentException(where + ": " + message);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        print(sb, "", 0);
        return sb.toString();
    }

    private void print(StringBuilder sb, String name, int depth) {
        sb.append("  ".repeat(depth));
        if (!name.isEmpty()) sb.append('(').append(name).append("): ");
        sb.append(describe()).append('\n');
        for (var e : children.entrySet()) e.getValue().print(sb, e.getKey(), depth + 1);
    }
}
