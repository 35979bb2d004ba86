package org.cnn4j.graph;

import org.cnn4j.nn.BatchNorm;
import org.cnn4j.nn.Module;
import org.cnn4j.nn.MultiInputModule;
import org.cnn4j.nn.ReLU;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A model defined by a functional graph, as Keras' {@code Model(inputs, outputs)}: any topology of
 * {@link Layer}s (residual adds, concatenations, shared layers) between {@link Input}s and outputs.
 *
 * <p>It is an ordinary {@link Module}: the graph's modules are its children, named by
 * {@link Layer#name(String)} or, by default, Keras-style from their type ({@code conv2d},
 * {@code conv2d_1}, ...), so state dicts, summaries, freezing and hooks work as for any module. A layer
 * applied several times is one child (shared weights).
 *
 * <p>Forward evaluates the nodes in a topological order fixed at construction. A BatchNorm whose only
 * consumer is a ReLU runs fused with it, as in {@link org.cnn4j.nn.Sequential}, unless hooks observe
 * them. Modules that take several inputs ({@link org.cnn4j.nn.Add}, {@link org.cnn4j.nn.Concatenate})
 * extend {@link MultiInputModule}.
 */
public final class Model extends Module {
    private final List<SymbolicTensor> inputs;
    private final List<SymbolicTensor> outputs;
    /** Computed nodes in evaluation order. */
    private final List<SymbolicTensor> order;
    /** How many nodes (plus model outputs) read each node's value. */
    private final Map<SymbolicTensor, Integer> readers = new IdentityHashMap<>();

    /** A single-input, single-output model. */
    public Model(SymbolicTensor input, SymbolicTensor output) {
        this(List.of(input), List.of(output));
    }

    public Model(List<SymbolicTensor> inputs, List<SymbolicTensor> outputs) {
        if (inputs.isEmpty() || outputs.isEmpty()) throw new IllegalArgumentException("a Model needs at least one input and one output");
        for (SymbolicTensor in : inputs)
            if (!in.isInput()) throw new IllegalArgumentException("model input " + in + " is not an Input");
        this.inputs = List.copyOf(inputs);
        this.outputs = List.copyOf(outputs);
        this.order = topologicalOrder();
        for (SymbolicTensor out : outputs) readers.merge(out, 1, Integer::sum);
        registerModules();
    }

    /** Nodes reachable from the outputs, each after its inputs; fails on an Input not declared. */
    private List<SymbolicTensor> topologicalOrder() {
        Set<SymbolicTensor> declared = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        declared.addAll(inputs);
        Set<SymbolicTensor> done = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        List<SymbolicTensor> result = new ArrayList<>();
        // Iterative post-order DFS: deep graphs (ResNet-152-like) must not overflow the stack.
        Deque<SymbolicTensor> stack = new ArrayDeque<>();
        Deque<Boolean> expanded = new ArrayDeque<>();
        for (SymbolicTensor out : outputs) {
            stack.push(out);
            expanded.push(false);
        }
        while (!stack.isEmpty()) {
            SymbolicTensor t = stack.pop();
            boolean wasExpanded = expanded.pop();
            if (done.contains(t)) continue;
            if (t.isInput()) {
                if (!declared.contains(t))
                    throw new IllegalArgumentException("the outputs depend on " + t + ", which is not among the model's inputs");
                done.add(t);
                continue;
            }
            if (wasExpanded) {
                done.add(t);
                result.add(t);
                for (SymbolicTensor in : t.inputs()) readers.merge(in, 1, Integer::sum);
                continue;
            }
            stack.push(t);
            expanded.push(true);
            for (SymbolicTensor in : t.inputs())
                if (!done.contains(in)) {
                    stack.push(in);
                    expanded.push(false);
                }
        }
        return result;
    }

    private void registerModules() {
        Map<Module, Boolean> seen = new IdentityHashMap<>();
        Map<String, Integer> counters = new HashMap<>();
        for (SymbolicTensor t : order) {
            Module m = t.producer();
            if (seen.put(m, true) != null) continue;
            registerModule(defaultName(m, counters), m);
        }
    }

    /** Keras' naming: snake_case of the type, then _1, _2, ... for later ones of the same type. */
    private String defaultName(Module m, Map<String, Integer> counters) {
        String base = m.getClass().getSimpleName().replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
        int n = counters.merge(base, 1, Integer::sum) - 1;
        String name = n == 0 ? base : base + "_" + n;
        while (children().containsKey(name)) name = base + "_" + counters.merge(base, 1, Integer::sum);
        return name;
    }

    /** The graph inputs, in the order {@link #forward(List)} takes them. */
    public List<SymbolicTensor> inputs() {
        return inputs;
    }

    /** The graph outputs, in the order {@link #forward(List)} returns them. */
    public List<SymbolicTensor> outputs() {
        return outputs;
    }

    /** Single input, single output. */
    @Override
    public Tensor forward(Tensor input) {
        if (inputs.size() != 1 || outputs.size() != 1)
            throw new IllegalArgumentException("this model has " + inputs.size() + " inputs and " + outputs.size()
                    + " outputs; call forward(List<Tensor>)");
        return forward(List.of(input)).get(0);
    }

    /** Evaluates the graph; inputs and outputs in declaration order. */
    public List<Tensor> forward(List<Tensor> inputValues) {
        if (inputValues.size() != inputs.size())
            throw new IllegalArgumentException("model takes " + inputs.size() + " inputs, got " + inputValues.size());
        Map<SymbolicTensor, Tensor> values = new IdentityHashMap<>();
        for (int i = 0; i < inputs.size(); i++) {
            Tensor v = inputValues.get(i);
            int[] expected = inputs.get(i).shape();
            int[] got = v.shape();
            if (got.length != expected.length + 1 || !Arrays.equals(Arrays.copyOfRange(got, 1, got.length), expected))
                throw new IllegalArgumentException("input '" + inputs.get(i).inputName() + "' expects [N, "
                        + Shape.str(expected).substring(1) + ", got " + Shape.str(got));
            values.put(inputs.get(i), v);
        }
        Map<SymbolicTensor, Integer> pending = new IdentityHashMap<>(readers);
        for (int k = 0; k < order.size(); k++) {
            SymbolicTensor node = order.get(k);
            Module m = node.producer();
            SymbolicTensor fusedInto = fusableRelu(node, k);
            Tensor out;
            if (fusedInto != null) {
                out = ((BatchNorm) m).callWithRelu((ReLU) fusedInto.producer(), values.get(node.inputs().get(0)));
                release(node.inputs(), values, pending);
                values.put(fusedInto, out);
                release(List.of(node), values, pending); // the BN output is never materialised
                k++;                                     // the ReLU node follows directly (see fusableRelu)
                continue;
            }
            if (!(m instanceof MultiInputModule merge)) {
                out = m.call(values.get(node.inputs().get(0)));
            } else {
                List<Tensor> args = new ArrayList<>(node.inputs().size());
                for (SymbolicTensor in : node.inputs()) args.add(values.get(in));
                out = merge.call(args);
            }
            release(node.inputs(), values, pending);
            values.put(node, out);
        }
        List<Tensor> result = new ArrayList<>(outputs.size());
        for (SymbolicTensor o : outputs) result.add(values.get(o));
        return result;
    }

    /** The ReLU node to fuse {@code node} with, when node is a BatchNorm read only by the ReLU evaluated right after it. */
    private SymbolicTensor fusableRelu(SymbolicTensor node, int index) {
        if (!(node.producer() instanceof BatchNorm) || index + 1 >= order.size()) return null;
        SymbolicTensor next = order.get(index + 1);
        if (!(next.producer() instanceof ReLU) || next.inputs().size() != 1 || next.inputs().get(0) != node) return null;
        if (readers.getOrDefault(node, 0) != 1) return null;
        return next;
    }

    /** Drops values no later node reads, so activations are freed as early as in a hand-written forward. */
    private static void release(List<SymbolicTensor> used, Map<SymbolicTensor, Tensor> values, Map<SymbolicTensor, Integer> pending) {
        for (SymbolicTensor t : used) {
            int left = pending.merge(t, -1, Integer::sum);
            if (left <= 0) values.remove(t);
        }
    }

    @Override
    public String describe() {
        return "Model (" + order.size() + " nodes)";
    }
}
