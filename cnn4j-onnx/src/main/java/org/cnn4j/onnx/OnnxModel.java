package org.cnn4j.onnx;

import org.cnn4j.nn.Module;
import org.cnn4j.nn.Parameter;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An imported ONNX graph as a cnn4j {@link Module}: every node runs as a cnn4j op with autograd, the
 * float initializers are {@link Parameter}s (trainable) and batch-norm statistics are buffers, so the
 * model trains with the library's optimizers. Parameter names follow the initializer names: a dotted
 * name such as {@code layer1.0.weight} (as torch.onnx writes a state_dict) becomes the same dotted path
 * in {@link #stateDict()}, through child modules that only hold parameters; other names are sanitised
 * ({@code onnx::Conv_12} becomes {@code onnx__Conv_12}).
 *
 * <p>Train mode makes BatchNormalization use batch statistics (and update the running ones, momentum
 * as the node declares) and Dropout drop; eval mode (the default after import) is inference.
 */
public final class OnnxModel extends Module {
    /** One compiled node. */
    interface Kernel {
        Tensor[] apply(Tensor[] inputs, boolean training);
    }

    record Step(String node, String opType, String[] inputs, String[] outputs, Kernel kernel) {}

    private final List<String> inputNames, outputNames;
    private final Map<String, long[]> inputShapes;
    private final List<Step> steps;
    private final Map<String, Tensor> constants;
    private final String source;

    OnnxModel(String source, List<String> inputNames, Map<String, long[]> inputShapes, List<String> outputNames,
              List<Step> steps, Map<String, Tensor> constants) {
        this.source = source;
        this.inputNames = List.copyOf(inputNames);
        this.inputShapes = inputShapes;
        this.outputNames = List.copyOf(outputNames);
        this.steps = List.copyOf(steps);
        this.constants = constants;
    }

    /** The graph inputs the caller feeds (initializers listed as inputs are excluded), in graph order. */
    public List<String> inputNames() {
        return inputNames;
    }

    /** The declared shape of an input (-1 for a symbolic or unknown dimension), or null when undeclared. */
    public long[] inputShape(String name) {
        long[] s = inputShapes.get(name);
        return s == null ? null : s.clone();
    }

    public List<String> outputNames() {
        return outputNames;
    }

    /** Number of compiled nodes. */
    public int nodeCount() {
        return steps.size();
    }

    /** Runs the graph on named inputs; returns the graph outputs by name, in graph order. */
    public Map<String, Tensor> run(Map<String, Tensor> inputs) {
        Map<String, Tensor> values = new HashMap<>(constants);
        for (String name : inputNames) {
            Tensor v = inputs.get(name);
            if (v == null) throw new IllegalArgumentException(source + ": missing input '" + name + "'; the model's inputs are " + inputNames);
            checkShape(name, v);
            values.put(name, v);
        }
        for (String name : inputs.keySet())
            if (!inputNames.contains(name))
                throw new IllegalArgumentException(source + ": unknown input '" + name + "'; the model's inputs are " + inputNames);
        boolean training = isTraining();
        for (Step s : steps) {
            Tensor[] in = new Tensor[s.inputs.length];
            for (int k = 0; k < in.length; k++) in[k] = s.inputs[k].isEmpty() ? null : values.get(s.inputs[k]);
            Tensor[] out;
            try {
                out = s.kernel.apply(in, training);
            } catch (RuntimeException e) {
                StringBuilder shapes = new StringBuilder();
                for (int k = 0; k < in.length; k++)
                    shapes.append(k == 0 ? "" : ", ").append(s.inputs[k]).append(in[k] == null ? "" : Shape.str(in[k].shape()));
                throw new IllegalArgumentException(source + ": node '" + s.node + "' (" + s.opType + ") on inputs " + shapes + ": " + e.getMessage(), e);
            }
            for (int k = 0; k < out.length && k < s.outputs.length; k++)
                if (!s.outputs[k].isEmpty()) values.put(s.outputs[k], out[k]);
        }
        Map<String, Tensor> result = new LinkedHashMap<>();
        for (String name : outputNames) result.put(name, values.get(name));
        return result;
    }

    private void checkShape(String name, Tensor v) {
        long[] declared = inputShapes.get(name);
        if (declared == null) return;
        int[] got = v.shape();
        boolean ok = got.length == declared.length;
        for (int d = 0; ok && d < got.length; d++) ok = declared[d] < 0 || declared[d] == got[d];
        if (!ok) {
            List<String> dims = new ArrayList<>();
            for (long d : declared) dims.add(d < 0 ? "?" : String.valueOf(d));
            throw new IllegalArgumentException(source + ": input '" + name + "' has shape " + Shape.str(got) + ", the model declares "
                    + "[" + String.join(", ", dims) + "]");
        }
    }

    /** Single input, single output (the usual classifier). */
    @Override
    public Tensor forward(Tensor input) {
        if (inputNames.size() != 1 || outputNames.size() != 1)
            throw new IllegalArgumentException(source + ": this model has inputs " + inputNames + " and outputs " + outputNames
                    + "; call run(Map)");
        return run(Map.of(inputNames.get(0), input)).get(outputNames.get(0));
    }

    @Override
    public String describe() {
        return "OnnxModel (" + steps.size() + " nodes)";
    }

    /** The op types of the compiled nodes in order, for summaries and tests. */
    public List<String> opTypes() {
        List<String> out = new ArrayList<>();
        for (Step s : steps) out.add(s.opType);
        return Collections.unmodifiableList(out);
    }

    // ---------------------------------------------------------------- parameter placement

    void place(String name, Tensor t, boolean buffer) {
        Module owner = this;
        String[] parts = name.split("\\.", -1);
        boolean ok = parts.length > 0;
        for (int k = 0; ok && k < parts.length - 1; k++) {
            String p = parts[k];
            if (p.isEmpty() || owner.localParameters().containsKey(p) || owner.localBuffers().containsKey(p)) {
                ok = false;
                break;
            }
            Module child = owner.children().get(p);
            if (child == null) child = register(owner, p, new Holder());
            if (!(child instanceof Holder)) ok = false;
            owner = child;
        }
        String last = parts[parts.length - 1];
        if (ok && (last.isEmpty() || taken(owner, last))) ok = false;
        if (!ok) {
            owner = this;
            last = name.replaceAll("[^A-Za-z0-9_]", "_");
            if (last.isEmpty()) last = "_";
            String base = last;
            for (int k = 1; taken(this, last); k++) last = base + "_" + k;
        }
        if (owner == this) {
            if (buffer) registerBuffer(last, t);
            else registerParameter(last, (Parameter) t);
        } else ((Holder) owner).put(last, t, buffer);
    }

    private static boolean taken(Module m, String n) {
        return m.localParameters().containsKey(n) || m.localBuffers().containsKey(n) || m.children().containsKey(n);
    }

    private Module register(Module owner, String name, Holder h) {
        if (owner == this) return registerModule(name, h);
        return ((Holder) owner).child(name, h);
    }

    /** A module that only holds parameters, so that dotted initializer names keep their paths. */
    static final class Holder extends Module {
        void put(String name, Tensor t, boolean buffer) {
            if (buffer) registerBuffer(name, t);
            else registerParameter(name, (Parameter) t);
        }

        Module child(String name, Holder h) {
            return registerModule(name, h);
        }

        @Override
        public Tensor forward(Tensor input) {
            throw new UnsupportedOperationException(path() + " holds imported ONNX parameters; run the OnnxModel instead");
        }

        @Override
        public String describe() {
            return "ONNX parameters";
        }
    }
}
