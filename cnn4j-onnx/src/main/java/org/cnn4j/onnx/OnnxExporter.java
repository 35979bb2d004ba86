package org.cnn4j.onnx;

import org.cnn4j.io.AtomicFiles;
import org.cnn4j.nn.AdaptiveAvgPool2d;
import org.cnn4j.nn.Add;
import org.cnn4j.nn.AvgPool2d;
import org.cnn4j.nn.BatchNorm;
import org.cnn4j.nn.Concatenate;
import org.cnn4j.nn.Conv2d;
import org.cnn4j.nn.ELU;
import org.cnn4j.nn.GELU;
import org.cnn4j.nn.Hardsigmoid;
import org.cnn4j.nn.Hardswish;
import org.cnn4j.nn.LeakyReLU;
import org.cnn4j.nn.Linear;
import org.cnn4j.nn.LogSoftmax;
import org.cnn4j.nn.MaxPool2d;
import org.cnn4j.nn.Module;
import org.cnn4j.nn.MultiInputModule;
import org.cnn4j.nn.PaddingMode;
import org.cnn4j.nn.PoolNd;
import org.cnn4j.nn.functional.ConvOptions;
import org.cnn4j.nn.ReLU;
import org.cnn4j.nn.ReLU6;
import org.cnn4j.nn.SELU;
import org.cnn4j.nn.SiLU;
import org.cnn4j.nn.Sigmoid;
import org.cnn4j.nn.Softmax;
import org.cnn4j.nn.Tanh;
import org.cnn4j.onnx.proto.OnnxProto;
import org.cnn4j.onnx.proto.OnnxProto.Attribute;
import org.cnn4j.onnx.proto.OnnxProto.Node;
import org.cnn4j.onnx.proto.OnnxProto.TensorData;
import org.cnn4j.onnx.proto.OnnxProto.ValueInfo;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Exports a cnn4j model to ONNX (opset 13) by tracing, as torch.onnx does: the model runs once in eval
 * mode on an input of the given shape with forward hooks on its leaf modules, then the exporter walks
 * back from the output. A tensor made by a hooked leaf module becomes that module's ONNX node(s) (Conv2d
 * -> Conv, Linear -> Gemm, BatchNorm -> BatchNormalization, pools, activations, Add, Concatenate, ...);
 * a tensor made by code in a forward method outside any module (a residual {@code out.add(identity)},
 * {@code flatten(1)}, {@code relu()}) becomes the ONNX form of its autograd op. Modules that are the
 * identity in eval mode (Dropout and friends, Identity) vanish. Anything else fails with the module's
 * path or the op's name. Parameters and buffers keep their state_dict names as initializer names, so
 * {@link OnnxImporter} gives the same {@code stateDict()} keys back.
 *
 * <p>The batch dimension is declared symbolic ({@code N}) when every reshape keeps it, else fixed.
 */
public final class OnnxExporter {
    public static final int OPSET = 13;

    private final Module model;
    private final Tensor input;
    private final Map<Tensor, Call> calls = new IdentityHashMap<>();
    private final Map<Tensor, String> names = new IdentityHashMap<>();
    private final Map<Tensor, String> stateNames = new IdentityHashMap<>();
    private final OnnxProto.Graph graph = new OnnxProto.Graph();
    private final java.util.Set<String> usedNames = new java.util.HashSet<>();
    private boolean batchKept = true;
    private int counter;

    private record Call(Module module, String path, Tensor input) {}

    private OnnxExporter(Module model, Tensor input) {
        this.model = model;
        this.input = input;
    }

    /** Traces {@code model} on an input of {@code inputShape} (with the batch dimension) and writes the ONNX file atomically. */
    public static void export(Module model, int[] inputShape, Path file) throws IOException {
        byte[] bytes = OnnxProto.write(toProto(model, inputShape));
        AtomicFiles.writeBytes(file, bytes);
    }

    /** The traced ONNX model, not yet serialised. */
    public static OnnxProto.Model toProto(Module model, int[] inputShape) {
        if (inputShape == null || inputShape.length < 2)
            throw new IllegalArgumentException("export: inputShape must include the batch dimension, e.g. [1, 3, 32, 32]. Received: "
                    + Arrays.toString(inputShape));
        for (int d : inputShape)
            if (d <= 0) throw new IllegalArgumentException("export: inputShape dimensions must be positive. Received: " + Arrays.toString(inputShape));
        float[] data = new float[Shape.size(inputShape)];
        for (int i = 0; i < data.length; i++) data[i] = (float) Math.sin(i * 0.37) ; // any values: the trace follows identities, not data
        Tensor x = new Tensor(data, inputShape).requiresGrad(true);
        return new OnnxExporter(model, x).trace();
    }

    private OnnxProto.Model trace() {
        Map<String, Module> modules = model.namedModules();
        Map<Module, Boolean> modes = new IdentityHashMap<>(); // per module: a frozen part may sit in eval mode inside a training model
        for (Module m : modules.values()) modes.put(m, m.isTraining());
        List<Module> hooked = new ArrayList<>();
        Map<Module, String> paths = new IdentityHashMap<>();
        modules.forEach((path, m) -> paths.putIfAbsent(m, path));
        Module.ForwardHook hook = (m, in, out) -> {
            if (out != in) calls.put(out, new Call(m, paths.get(m), in));
        };
        model.stateDict().forEach((k, v) -> stateNames.putIfAbsent(v, k));
        Tensor out;
        try {
            model.eval();
            for (Module m : modules.values())
                if (m.children().isEmpty() && m != model) {
                    m.addForwardHook(hook);
                    hooked.add(m);
                }
            if (model.children().isEmpty()) {
                model.addForwardHook(hook);
                hooked.add(model);
            }
            out = model.call(input);
        } finally {
            for (Module m : hooked) m.removeForwardHook(hook);
            for (Module m : modules.values()) m.train(modes.get(m)); // parents first: each call fixes its subtree, children follow
        }
        names.put(input, "input");
        String result = emit(out);
        if (result.equals("input") || !renameOutput(result, "output")) add(node("Identity", "output", List.of(result), List.of("output")));
        long[] inDims = Arrays.stream(input.shape()).asLongStream().toArray(), outDims = Arrays.stream(out.shape()).asLongStream().toArray();
        String[] inParams = new String[inDims.length], outParams = new String[outDims.length];
        if (batchKept && outDims.length > 0 && outDims[0] == inDims[0]) inParams[0] = outParams[0] = "N";
        graph.inputs.add(new ValueInfo("input", inDims, inParams));
        graph.outputs.add(new ValueInfo("output", outDims, outParams));
        graph.name = model.getClass().getSimpleName();
        OnnxProto.Model m = new OnnxProto.Model();
        m.producerName = "cnn4j";
        m.producerVersion = "0.1";
        m.opsets.put("", (long) OPSET);
        m.graph = graph;
        return m;
    }

    private boolean renameOutput(String from, String to) {
        for (Node n : graph.nodes)
            for (int k = 0; k < n.outputs.size(); k++)
                if (n.outputs.get(k).equals(from)) {
                    n.outputs.set(k, to);
                    for (Node other : graph.nodes) other.inputs.replaceAll(s -> s.equals(from) ? to : s);
                    return true;
                }
        return false;
    }

    // ------------------------------------------------------------------ graph building

    private String fresh(String base) {
        String n = base;
        while (!usedNames.add(n)) n = base + "_" + (++counter);
        return n;
    }

    private static Node node(String op, String name, List<String> inputs, List<String> outputs) {
        return new Node(name, op, inputs, outputs);
    }

    private void add(Node n) {
        graph.nodes.add(n);
    }

    /** One node with one output; returns the output name. */
    private String op(String op, String scope, List<String> inputs, Attribute... attrs) {
        String name = fresh(scope.isEmpty() ? "/" + op : "/" + scope + "/" + op);
        String out = name + "_output";
        Node n = node(op, name, inputs, List.of(out));
        for (Attribute a : attrs) n.attr(a);
        add(n);
        return out;
    }

    /** An initializer for a model tensor (state_dict name) or a constant. */
    private String initializer(Tensor t) {
        String existing = names.get(t);
        if (existing != null) return existing;
        String name = stateNames.get(t);
        name = fresh(name != null ? name : "const");
        graph.initializers.add(TensorData.ofFloats(name, t.data().clone(), Arrays.stream(t.shape()).asLongStream().toArray()));
        names.put(t, name);
        return name;
    }

    private String floatConst(String base, float... v) {
        String name = fresh(base);
        graph.initializers.add(TensorData.ofFloats(name, v, v.length == 1 ? new long[0] : new long[] {v.length}));
        return name;
    }

    private String longConst(String base, long... v) {
        String name = fresh(base);
        graph.initializers.add(TensorData.ofLongs(name, v, v.length));
        return name;
    }

    // ------------------------------------------------------------------ the walk

    private String emit(Tensor t) {
        String known = names.get(t);
        if (known != null) return known;
        String name;
        Call call = calls.get(t);
        if (call != null) name = emitModule(call, t);
        else if (t.gradFn() != null) name = emitFunctional(t);
        else name = initializer(t);
        names.put(t, name);
        return name;
    }

    private String emitModule(Call c, Tensor out) {
        Module m = c.module;
        String scope = c.path.replace('.', '/');
        if (m instanceof MultiInputModule) {
            Tensor[] ins = out.gradFn() == null ? new Tensor[] {c.input} : out.gradFn().inputs();
            List<String> in = new ArrayList<>();
            for (Tensor t : ins) in.add(emit(t));
            if (m instanceof Add) return chainAdd(scope, in);
            if (m instanceof Concatenate cat) {
                int dim = cat.dim() < 0 ? cat.dim() + out.rank() : cat.dim();
                return op("Concat", scope, in, Attribute.ofInt("axis", dim));
            }
            throw unsupportedModule(c);
        }
        String x = emit(c.input);
        int[] inShape = c.input.shape();
        if (m instanceof Conv2d conv) {
            ConvOptions o = conv.options();
            if (o.paddingMode() != PaddingMode.ZEROS)
                throw new IllegalArgumentException("export: " + c.path + " (" + conv.describe() + ") pads with " + o.paddingMode()
                        + "; ONNX Conv pads with zeros only");
            int[] k = conv.kernelSize(), st = ConvOptions.perAxis("stride", o.stride(), 2), dil = ConvOptions.perAxis("dilation", o.dilation(), 2);
            int[][] pads = o.padding().resolve(new int[] {inShape[2], inShape[3]}, k, st, dil);
            List<String> in = new ArrayList<>(List.of(x, initializer(conv.weight())));
            if (conv.bias() != null) in.add(initializer(conv.bias()));
            return op("Conv", scope, in, Attribute.ofInts("kernel_shape", k[0], k[1]), Attribute.ofInts("strides", st[0], st[1]),
                    Attribute.ofInts("pads", pads[0][0], pads[0][1], pads[1][0], pads[1][1]),
                    Attribute.ofInts("dilations", dil[0], dil[1]), Attribute.ofInt("group", conv.groups()));
        }
        if (m instanceof Linear lin) {
            List<String> in = new ArrayList<>(List.of(x, initializer(lin.weight())));
            if (lin.bias() != null) in.add(initializer(lin.bias()));
            return op("Gemm", scope, in, Attribute.ofInt("transB", 1));
        }
        if (m instanceof BatchNorm bn) {
            if (!bn.trackRunningStats())
                throw new IllegalArgumentException("export: " + c.path + " (" + bn.describe() + ") uses batch statistics in eval mode (track_running_stats=false); ONNX BatchNormalization needs running statistics");
            int ch = bn.numFeatures();
            String w = bn.affine() ? initializer(bn.weight()) : floatConst(scope + "/ones", filled(ch, 1f));
            String b = bn.affine() ? initializer(bn.bias()) : floatConst(scope + "/zeros", filled(ch, 0f));
            return op("BatchNormalization", scope, List.of(x, w, b, initializer(bn.runningMean()), initializer(bn.runningVar())),
                    Attribute.ofFloat("epsilon", bn.eps()));
        }
        if (m instanceof PoolNd pool && (m instanceof MaxPool2d || m instanceof AvgPool2d)) {
            int[] k = pool.kernelSize(), st = pool.stride(), p = pool.padding();
            List<Attribute> a = new ArrayList<>(List.of(Attribute.ofInts("kernel_shape", k[0], k[1]), Attribute.ofInts("strides", st[0], st[1]),
                    Attribute.ofInts("pads", p[0], p[1], p[0], p[1])));
            if (pool.ceilMode()) a.add(Attribute.ofInt("ceil_mode", 1));
            if (m instanceof MaxPool2d) {
                int[] d = pool.dilation();
                if (d[0] != 1 || d[1] != 1) a.add(Attribute.ofInts("dilations", d[0], d[1]));
            } else {
                if (pool.divisorOverride() != 0)
                    throw new IllegalArgumentException("export: " + c.path + " (" + m.describe() + ") has divisor_override, which ONNX lacks");
                a.add(Attribute.ofInt("count_include_pad", pool.countIncludePad() ? 1 : 0));
            }
            return op(m instanceof MaxPool2d ? "MaxPool" : "AveragePool", scope, List.of(x), a.toArray(new Attribute[0]));
        }
        if (m instanceof AdaptiveAvgPool2d) {
            int[] o = out.shape();
            if (o[2] == 1 && o[3] == 1) return op("GlobalAveragePool", scope, List.of(x));
            if (inShape[2] % o[2] == 0 && inShape[3] % o[3] == 0) {
                int kh = inShape[2] / o[2], kw = inShape[3] / o[3];
                return op("AveragePool", scope, List.of(x), Attribute.ofInts("kernel_shape", kh, kw), Attribute.ofInts("strides", kh, kw));
            }
            if (inShape[2] == 1 && inShape[3] == 1) // every output cell averages the single input cell: a broadcast
                return op("Expand", scope, List.of(x, longConst(scope + "/shape", 1, 1, o[2], o[3])));
            throw new IllegalArgumentException("export: " + c.path + " (" + m.describe() + ") maps " + inShape[2] + "x" + inShape[3] + " to "
                    + o[2] + "x" + o[3] + ", not a whole-window average; ONNX has no adaptive pooling (use an input size that divides)");
        }
        if (m instanceof ReLU) return op("Relu", scope, List.of(x));
        if (m instanceof ReLU6) return op("Clip", scope, List.of(x, floatConst(scope + "/min", 0f), floatConst(scope + "/max", 6f)));
        if (m instanceof LeakyReLU l) return op("LeakyRelu", scope, List.of(x), Attribute.ofFloat("alpha", l.negativeSlope()));
        if (m instanceof ELU e) return op("Elu", scope, List.of(x), Attribute.ofFloat("alpha", e.alpha()));
        if (m instanceof SELU) return op("Selu", scope, List.of(x));
        if (m instanceof Sigmoid) return op("Sigmoid", scope, List.of(x));
        if (m instanceof Tanh) return op("Tanh", scope, List.of(x));
        if (m instanceof Hardsigmoid) return hardsigmoid(scope, x);
        if (m instanceof Hardswish) return op("Mul", scope, List.of(x, hardsigmoid(scope, x)));
        if (m instanceof SiLU && m.getClass() == SiLU.class) return op("Mul", scope, List.of(x, op("Sigmoid", scope, List.of(x))));
        if (m instanceof GELU gelu && gelu.approximate().equals("none")) {
            String scaled = op("Div", scope, List.of(x, floatConst(scope + "/sqrt2", (float) Math.sqrt(2.0))));
            String erf = op("Add", scope, List.of(op("Erf", scope, List.of(scaled)), floatConst(scope + "/one", 1f)));
            return op("Mul", scope, List.of(op("Mul", scope, List.of(x, erf)), floatConst(scope + "/half", 0.5f)));
        }
        if (m instanceof Softmax) return op("Softmax", scope, List.of(x), Attribute.ofInt("axis", normDim(((Softmax) m).dim(), out.rank())));
        if (m instanceof LogSoftmax) return op("LogSoftmax", scope, List.of(x), Attribute.ofInt("axis", normDim(((LogSoftmax) m).dim(), out.rank())));
        if (out.numel() == c.input.numel() && out.data() == c.input.data() && out.gradFn() != null && "Reshape".equals(out.gradFn().name()))
            return reshape(scope, x, inShape, out.shape()); // Flatten, Reshape, Unflatten and other views
        throw unsupportedModule(c);
    }

    private String hardsigmoid(String scope, String x) {
        return op("HardSigmoid", scope, List.of(x), Attribute.ofFloat("alpha", 1f / 6f), Attribute.ofFloat("beta", 0.5f));
    }

    private static int normDim(int d, int rank) {
        return d < 0 ? d + rank : d;
    }

    private static float[] filled(int n, float v) {
        float[] a = new float[n];
        Arrays.fill(a, v);
        return a;
    }

    private String chainAdd(String scope, List<String> in) {
        String acc = in.get(0);
        for (int k = 1; k < in.size(); k++) acc = op("Add", scope, List.of(acc, in.get(k)));
        return acc;
    }

    private String reshape(String scope, String x, int[] in, int[] out) {
        boolean keepsBatch = in.length > 0 && out.length > 0 && in[0] == out[0];
        if (keepsBatch && out.length == 2) return op("Flatten", scope, List.of(x), Attribute.ofInt("axis", 1));
        if (!keepsBatch) batchKept = false;
        long[] shape = Arrays.stream(out).asLongStream().toArray();
        if (keepsBatch) shape[0] = 0; // ONNX: copy the batch dimension from the input
        return op("Reshape", scope, List.of(x, longConst(scope.isEmpty() ? "shape" : scope + "/shape", shape)));
    }

    /** Ops recorded by code in a forward method outside any module. */
    private String emitFunctional(Tensor t) {
        org.cnn4j.autograd.Node fn = t.gradFn();
        String op = fn.name();
        Tensor[] ins = fn.inputs();
        switch (op) {
            case "Add", "Sub", "Mul", "Div" -> {
                return this.op(op, "", List.of(emit(ins[0]), emit(ins[1])));
            }
            case "AddN" -> {
                List<String> in = new ArrayList<>();
                for (Tensor i : ins) in.add(emit(i));
                return chainAdd("", in);
            }
            case "ReLU", "Relu" -> {
                return this.op("Relu", "", List.of(emit(ins[0])));
            }
            case "Sigmoid", "Tanh" -> {
                return this.op(op, "", List.of(emit(ins[0])));
            }
            case "Reshape" -> {
                return reshape("", emit(ins[0]), ins[0].shape(), t.shape());
            }
            case "Cat" -> {
                List<String> in = new ArrayList<>();
                for (Tensor i : ins) in.add(emit(i));
                return this.op("Concat", "", in, Attribute.ofInt("axis", catAxis(ins, t)));
            }
            case "Linear" -> {
                List<String> in = new ArrayList<>(List.of(emit(ins[0]), initializer(ins[1])));
                if (ins.length > 2 && ins[2] != null) in.add(initializer(ins[2]));
                return this.op("Gemm", "", in, Attribute.ofInt("transB", 1));
            }
            default -> throw new IllegalArgumentException("export: " + model.getClass().getSimpleName()
                    + ".forward computes '" + op + "' outside any module, and that op has no ONNX export (it loses hyper-parameters "
                    + "in the trace); wrap it in a module (e.g. nn.MaxPool2d, nn.Softmax), or use one of the exportable functional ops: "
                    + "add, sub, mul, div, relu, sigmoid, tanh, reshape/view/flatten, cat, linear");
        }
    }

    private static int catAxis(Tensor[] ins, Tensor out) {
        for (int d = 0; d < out.rank(); d++) {
            int sum = 0;
            boolean others = true;
            for (Tensor i : ins) sum += i.size(d);
            if (sum == out.size(d) && ins.length > 0 && (ins.length > 1 || ins[0].size(d) == out.size(d))) {
                for (int e = 0; e < out.rank(); e++)
                    if (e != d) for (Tensor i : ins) others &= i.size(e) == out.size(e);
                if (others) return d;
            }
        }
        throw new IllegalArgumentException("export: cannot tell the concatenation axis of " + ins.length + " inputs giving " + Shape.str(out.shape()));
    }

    private IllegalArgumentException unsupportedModule(Call c) {
        return new IllegalArgumentException("export: no ONNX exporter for module '" + c.path + "' (" + c.module.describe() + ", "
                + c.module.getClass().getName() + "); exportable: Conv2d, Linear, BatchNorm1d/2d, MaxPool2d, AvgPool2d, "
                + "AdaptiveAvgPool2d, ReLU, ReLU6, LeakyReLU, ELU, SELU, Sigmoid, Tanh, Hardsigmoid, Hardswish, SiLU, GELU, Softmax, "
                + "LogSoftmax, Flatten, Reshape, Add, Concatenate, and modules that are the identity in eval mode (Dropout, Identity)");
    }

    /** Reads a private int hyper-parameter of a layer that has no accessor for it. */
}
