package org.cnn4j.onnx;

import org.cnn4j.autograd.ops.ActivationOp;
import org.cnn4j.autograd.ops.BatchNormOp;
import org.cnn4j.autograd.ops.Conv2dOp;
import org.cnn4j.autograd.ops.DropoutOp;
import org.cnn4j.autograd.ops.Elementwise;
import org.cnn4j.autograd.ops.LinearOp;
import org.cnn4j.autograd.ops.MatMul;
import org.cnn4j.autograd.ops.Pool2dOp;
import org.cnn4j.autograd.ops.ShapeOps;
import org.cnn4j.autograd.ops.SoftmaxOp;
import org.cnn4j.autograd.ops.View;
import org.cnn4j.kernels.Conv2dGeometry;
import org.cnn4j.kernels.Pool2dGeometry;
import org.cnn4j.nn.Parameter;
import org.cnn4j.onnx.OnnxModel.Kernel;
import org.cnn4j.onnx.OnnxModel.Step;
import org.cnn4j.nn.Padding;
import org.cnn4j.nn.AvgPool2d;
import org.cnn4j.nn.MaxPool2d;
import org.cnn4j.nn.PoolNd;
import org.cnn4j.nn.functional.ConvOptions;
import org.cnn4j.nn.functional.Functional;
import org.cnn4j.onnx.ops.ClipOp;
import org.cnn4j.onnx.ops.PadOp;
import org.cnn4j.onnx.proto.OnnxProto;
import org.cnn4j.onnx.proto.OnnxProto.Attribute;
import org.cnn4j.onnx.proto.OnnxProto.Node;
import org.cnn4j.onnx.proto.OnnxProto.TensorData;
import org.cnn4j.tensor.Rng;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Loads an ONNX model (default domain, opsets 7 to 17 as far as these operators changed) into a
 * runnable and trainable {@link OnnxModel}. Supported operators: see {@link #SUPPORTED}. Shape-like
 * inputs (Reshape's shape, Pad's pads, Clip's bounds) must be initializers or Constant outputs.
 * An unsupported operator or attribute fails at load time with the node's name and op type.
 */
public final class OnnxImporter {
    /** The operators this importer compiles. */
    public static final Set<String> SUPPORTED = new TreeSet<>(List.of("Conv", "ConvTranspose", "Gemm", "MatMul", "Add", "Sub",
            "Mul", "Div", "Relu", "Sigmoid", "Tanh", "LeakyRelu", "Elu", "Selu", "HardSwish", "HardSigmoid", "Clip", "MaxPool",
            "AveragePool", "GlobalAveragePool", "GlobalMaxPool", "BatchNormalization", "Dropout", "Flatten", "Reshape", "Concat",
            "Softmax", "LogSoftmax", "Identity", "Constant", "Pad", "Expand",
            "ConstantOfShape", "Slice", "Transpose", "Cast", "Gather", "Unsqueeze", "Squeeze"));

    private final String source;
    private final OnnxProto.Model model;
    private final long opset;
    private final Map<String, Tensor> constants = new LinkedHashMap<>();
    private final Map<String, TensorData> longConstants = new HashMap<>();
    private final Set<String> known = new HashSet<>();
    private final Set<String> bnStats = new HashSet<>();
    private OnnxModel result;

    private OnnxImporter(OnnxProto.Model model, String source) {
        this.model = model;
        this.source = source;
        Long v = model.opsets.get("");
        if (v == null) v = model.opsets.get("ai.onnx");
        this.opset = v == null ? 13 : v;
    }

    /** Reads and compiles an .onnx file. */
    public static OnnxModel load(Path file) {
        byte[] bytes;
        try {
            long size = Files.size(file);
            if (size > Integer.MAX_VALUE - 16)
                throw new OnnxFormatException(file + ": " + size + " bytes; models over 2 GB (external data) are not supported");
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return load(bytes, file.toString());
    }

    /** Compiles an ONNX model from its bytes; {@code source} names it in errors. */
    public static OnnxModel load(byte[] bytes, String source) {
        return compile(OnnxProto.parseModel(bytes, source), source);
    }

    /** Compiles a parsed model. */
    public static OnnxModel compile(OnnxProto.Model model, String source) {
        return new OnnxImporter(model, source).build();
    }

    private OnnxModel build() {
        OnnxProto.Graph g = model.graph;
        if (opset < 7) throw new OnnxFormatException(source + ": opset " + opset + " is older than the supported 7..17");
        for (Node n : g.nodes)
            if (n.opType.equals("BatchNormalization"))
                for (int k = 3; k < Math.min(5, n.inputs.size()); k++) bnStats.add(n.inputs.get(k));
        List<Tensor> pendingParams = new ArrayList<>();
        List<String> pendingNames = new ArrayList<>();
        for (TensorData t : g.initializers) {
            if (t.name.isEmpty()) throw new OnnxFormatException(source + ": an initializer has no name");
            known.add(t.name);
            if (!t.isFloat()) {
                longConstants.put(t.name, t);
                continue;
            }
            Tensor v = bnStats.contains(t.name) ? new Tensor(t.floats, t.intDims()) : new Parameter(t.floats, t.intDims());
            constants.put(t.name, v);
            pendingParams.add(v);
            pendingNames.add(t.name);
        }
        List<String> inputs = new ArrayList<>();
        Map<String, long[]> inputShapes = new HashMap<>();
        for (OnnxProto.ValueInfo v : g.inputs) {
            if (known.contains(v.name)) continue; // an initializer also listed as input (IR < 4 style)
            if (v.elemType != OnnxProto.FLOAT)
                throw new OnnxFormatException(source + ": input '" + v.name + "' has element type " + v.elemType + "; only float inputs are supported");
            inputs.add(v.name);
            if (v.dims != null) inputShapes.put(v.name, v.dims);
            known.add(v.name);
        }
        List<Step> steps = new ArrayList<>();
        for (int k = 0; k < g.nodes.size(); k++) {
            Node n = g.nodes.get(k);
            if (n.name.isEmpty()) n.name = n.opType + "_" + k;
            Step s = compileNode(n);
            if (s != null) steps.add(s);
            for (String o : n.outputs) if (!o.isEmpty()) known.add(o);
        }
        List<String> outputs = new ArrayList<>();
        for (OnnxProto.ValueInfo v : g.outputs) {
            if (!known.contains(v.name)) throw new OnnxFormatException(source + ": graph output '" + v.name + "' is produced by no node");
            if (longConstants.containsKey(v.name)) throw new OnnxFormatException(source + ": graph output '" + v.name + "' is an integer tensor; only float outputs are supported");
            outputs.add(v.name);
        }
        result = new OnnxModel(source, inputs, inputShapes, outputs, steps, constants);
        for (int k = 0; k < pendingParams.size(); k++) result.place(pendingNames.get(k), pendingParams.get(k), bnStats.contains(pendingNames.get(k)));
        result.eval();
        return result;
    }

    // ------------------------------------------------------------------ node compilation

    private OnnxFormatException unsupported(Node n, String what) {
        return new OnnxFormatException(source + ": node '" + n.name + "' (" + n.opType + "): " + what);
    }

    private Step step(Node n, Kernel k) {
        return new Step(n.name, n.opType, n.inputs.toArray(new String[0]), n.outputs.toArray(new String[0]), k);
    }

    private Step compileNode(Node n) {
        if (!n.domain.isEmpty() && !n.domain.equals("ai.onnx"))
            throw unsupported(n, "operator domain '" + n.domain + "' is not supported (only the default ONNX domain)");
        for (String in : n.inputs)
            if (!in.isEmpty() && !known.contains(in))
                throw unsupported(n, "input '" + in + "' is produced by no earlier node (graph not topologically sorted?)");
        if (n.outputs.isEmpty()) throw unsupported(n, "node has no outputs");
        if (ConstantFolding.FOLDABLE.contains(n.opType)) {
            Step folded = tryFold(n);
            if (folded == null) return null;
        }
        return switch (n.opType) {
            case "Conv" -> conv(n);
            case "ConvTranspose" -> convTranspose(n);
            case "Gemm" -> gemm(n);
            case "MatMul" -> {
                requireInputs(n, 2, 2);
                yield step(n, (in, t) -> {
                    Tensor a = in[0], b = in[1];
                    if (a.rank() > 2 && b.rank() == 2) { // [..., k] x [k, n]: one 2-D product over the leading dimensions
                        int[] outShape = a.shape().clone();
                        outShape[outShape.length - 1] = b.size(1);
                        Tensor flat = View.reshape(a, a.numel() / a.size(a.rank() - 1), a.size(a.rank() - 1));
                        return new Tensor[] {View.reshape(MatMul.apply(flat, b), outShape)};
                    }
                    if (a.rank() != 2 || b.rank() != 2)
                        throw new IllegalArgumentException("MatMul of " + Shape.str(a.shape()) + " and " + Shape.str(b.shape())
                                + " not supported yet (rank-2 B only)");
                    return new Tensor[] {MatMul.apply(a, b)};
                });
            }
            case "Add" -> binary(n, Elementwise::add);
            case "Sub" -> binary(n, Elementwise::sub);
            case "Mul" -> binary(n, Elementwise::mul);
            case "Div" -> binary(n, Elementwise::div);
            case "Relu" -> unary(n, ActivationOp::relu);
            case "Sigmoid" -> unary(n, ActivationOp::sigmoid);
            case "Tanh" -> unary(n, ActivationOp::tanh);
            case "HardSwish" -> unary(n, ActivationOp::hardswish);
            case "LeakyRelu" -> {
                float alpha = attrFloat(n, "alpha", 0.01f);
                yield unary(n, x -> ActivationOp.leakyRelu(x, alpha));
            }
            case "Elu" -> {
                float alpha = attrFloat(n, "alpha", 1f);
                yield unary(n, x -> ActivationOp.elu(x, alpha));
            }
            case "Selu" -> {
                float alpha = attrFloat(n, "alpha", 1.67326319217681884765625f), gamma = attrFloat(n, "gamma", 1.05070102214813232421875f);
                if (Math.abs(alpha - 1.6732632f) > 1e-5f || Math.abs(gamma - 1.050701f) > 1e-5f)
                    throw unsupported(n, "attribute alpha=" + alpha + ", gamma=" + gamma + " not supported yet (only the standard SELU constants)");
                yield unary(n, ActivationOp::selu);
            }
            case "HardSigmoid" -> {
                float alpha = attrFloat(n, "alpha", 0.2f), beta = attrFloat(n, "beta", 0.5f);
                if (Math.abs(alpha - 1f / 6f) < 1e-6f && beta == 0.5f) yield unary(n, ActivationOp::hardsigmoid);
                yield unary(n, x -> ClipOp.apply(Elementwise.addScalar(Elementwise.mulScalar(x, alpha), beta), 0f, 1f));
            }
            case "Clip" -> clip(n);
            case "MaxPool" -> pool(n, true);
            case "AveragePool" -> pool(n, false);
            case "GlobalAveragePool" -> unary(n, x -> {
                requireRank(x, 4);
                return Pool2dOp.adaptiveAvg(x, 1, 1);
            });
            case "GlobalMaxPool" -> unary(n, x -> {
                requireRank(x, 4);
                return Pool2dOp.max(x, new Pool2dGeometry(x.size(0), x.size(1), x.size(2), x.size(3), x.size(2), x.size(3), 1, 1, 0, 0));
            });
            case "BatchNormalization" -> batchNorm(n);
            case "Dropout" -> dropout(n);
            case "Flatten" -> {
                long axis = attrInt(n, "axis", 1);
                yield unary(n, x -> {
                    int a = (int) (axis < 0 ? axis + x.rank() : axis);
                    if (a < 0 || a > x.rank()) throw new IllegalArgumentException("axis " + axis + " out of range for rank " + x.rank());
                    int outer = 1;
                    for (int d = 0; d < a; d++) outer *= x.size(d);
                    return View.reshape(x, outer, x.numel() / Math.max(outer, 1));
                });
            }
            case "Reshape" -> reshape(n);
            case "Expand" -> {
                requireInputs(n, 2, 2);
                long[] shape = longInput(n, 1, "shape");
                int[] target = new int[shape.length];
                for (int d = 0; d < shape.length; d++) target[d] = (int) shape[d];
                // broadcasting against zeros of the target shape: y = x + 0, whose gradient sums over the broadcast axes
                yield unary(n, x -> Elementwise.add(x, Tensor.zeros(target)));
            }
            case "Concat" -> {
                long axis = attrInt(n, "axis", Long.MIN_VALUE);
                if (axis == Long.MIN_VALUE) throw unsupported(n, "attribute 'axis' is required");
                yield step(n, (in, t) -> new Tensor[] {ShapeOps.cat((int) (axis < 0 ? axis + in[0].rank() : axis), in)});
            }
            case "Softmax", "LogSoftmax" -> softmax(n, n.opType.equals("LogSoftmax"));
            case "Identity" -> {
                if (longConstants.containsKey(n.inputs.get(0))) {
                    longConstants.put(n.outputs.get(0), longConstants.get(n.inputs.get(0)));
                    yield null;
                }
                yield unary(n, x -> x);
            }
            case "Constant" -> constant(n);
            case "ConstantOfShape", "Slice", "Transpose", "Cast", "Gather", "Unsqueeze", "Squeeze" -> throw new IllegalStateException("folded above");
            case "Pad" -> pad(n);
            default -> throw unsupported(n, "operator '" + n.opType + "' is not supported; supported operators: " + SUPPORTED);
        };
    }

    /** Folds n when all its inputs are integer constants (returns null); otherwise returns a marker to go on. */
    private Step tryFold(Node n) {
        TensorData[] in = new TensorData[n.inputs.size()];
        boolean ok = n.opType.equals("ConstantOfShape") || !n.inputs.isEmpty();
        for (int k = 0; k < in.length && ok; k++) {
            String name = n.inputs.get(k);
            if (name.isEmpty()) continue;
            in[k] = longConstants.get(name);
            if (in[k] == null) ok = false;
        }
        if (!ok) {
            if (n.opType.equals("Concat") || n.opType.equals("Reshape")) return step(n, (i, t) -> i); // a float op: compile normally
            throw unsupported(n, "operator '" + n.opType + "' is only supported on integer constants (shape arithmetic), "
                    + "not on tensors computed at run time");
        }
        ConstantFolding.Attr attrs = new ConstantFolding.Attr() {
            public long[] ints(String name, long[] def) {
                return attrInts(n, name, def);
            }

            public long i(String name, long def) {
                return attrInt(n, name, def);
            }

            public TensorData tensor(String name) {
                Attribute a = attr(n, name, Attribute.A_TENSOR);
                return a == null ? null : a.t;
            }
        };
        TensorData v;
        try {
            v = ConstantFolding.fold(n.opType, in, attrs, n.outputs.get(0));
        } catch (RuntimeException e) {
            throw unsupported(n, "cannot evaluate on its constant inputs: " + e.getMessage());
        }
        if (v.isFloat()) constants.put(n.outputs.get(0), new Tensor(v.floats, v.intDims()));
        else longConstants.put(n.outputs.get(0), v);
        return null;
    }

    private void requireInputs(Node n, int min, int max) {
        int count = n.inputs.size();
        while (count > 0 && n.inputs.get(count - 1).isEmpty()) count--;
        if (count < min || count > max)
            throw unsupported(n, "has " + count + " inputs, expected " + (min == max ? String.valueOf(min) : min + " to " + max));
    }

    private static void requireRank(Tensor x, int rank) {
        if (x.rank() != rank) throw new IllegalArgumentException("expects a rank-" + rank + " input, got " + Shape.str(x.shape()));
    }

    private Step unary(Node n, java.util.function.UnaryOperator<Tensor> f) {
        if (!n.opType.equals("Expand")) requireInputs(n, 1, 1);
        return step(n, (in, t) -> new Tensor[] {f.apply(in[0])});
    }

    /** A function of the first input only (the others are load-time constants already read). */
    private Step firstInput(Node n, java.util.function.UnaryOperator<Tensor> f) {
        return step(n, (in, t) -> new Tensor[] {f.apply(in[0])});
    }

    private Step binary(Node n, java.util.function.BinaryOperator<Tensor> f) {
        requireInputs(n, 2, 2);
        for (String in : n.inputs)
            if (longConstants.containsKey(in)) throw unsupported(n, "integer operand '" + in + "' is not supported (float tensors only)");
        return step(n, (in, t) -> new Tensor[] {f.apply(in[0], in[1])});
    }

    // ------------------------------------------------------------------ attributes

    private Attribute attr(Node n, String name, int type) {
        Attribute a = n.attributes.get(name);
        if (a == null) return null;
        boolean ok = a.type == type || (a.type == 0 && switch (type) { // type omitted by old writers: infer
            case Attribute.A_INTS -> a.ints.length > 0;
            case Attribute.A_FLOATS -> a.floats.length > 0;
            case Attribute.A_STRING -> a.s != null;
            case Attribute.A_TENSOR -> a.t != null;
            default -> true;
        });
        if (!ok) throw unsupported(n, "attribute '" + name + "' has type " + a.type + ", expected " + type);
        return a;
    }

    private long attrInt(Node n, String name, long def) {
        Attribute a = attr(n, name, Attribute.A_INT);
        return a == null ? def : a.i;
    }

    private float attrFloat(Node n, String name, float def) {
        Attribute a = attr(n, name, Attribute.A_FLOAT);
        return a == null ? def : a.f;
    }

    private long[] attrInts(Node n, String name, long[] def) {
        Attribute a = attr(n, name, Attribute.A_INTS);
        return a == null ? def : a.ints;
    }

    private String attrString(Node n, String name, String def) {
        Attribute a = attr(n, name, Attribute.A_STRING);
        return a == null ? def : new String(a.s, StandardCharsets.UTF_8);
    }

    private long[] longInput(Node n, int index, String what) {
        String name = n.inputs.get(index);
        TensorData t = longConstants.get(name);
        if (t == null) {
            if (constants.containsKey(name))
                throw unsupported(n, what + " input '" + name + "' must be an int64 tensor");
            throw unsupported(n, what + " input '" + name + "' is computed at run time; only initializers and Constant outputs are supported");
        }
        return t.longs;
    }

    private float scalarInput(Node n, int index, float def) {
        if (index >= n.inputs.size() || n.inputs.get(index).isEmpty()) return def;
        String name = n.inputs.get(index);
        Tensor t = constants.get(name);
        if (t == null || t.numel() != 1 || t.gradFn() != null)
            throw unsupported(n, "input '" + name + "' must be a constant scalar (an initializer or Constant)");
        return t.data()[0];
    }

    // ------------------------------------------------------------------ operators

    private void checkOnes(Node n, String attr) {
        for (long v : attrInts(n, attr, new long[0]))
            if (v != 1) throw unsupported(n, "attribute " + attr + "=" + Arrays.toString(attrInts(n, attr, null)) + " not supported yet (only 1)");
    }

    /** Resolves ONNX pads [top, left, bottom, right] from pads or auto_pad, for one input size. */
    private static int[] resolvePads(String autoPad, long[] pads, int inH, int inW, int kH, int kW, int sH, int sW, String node) {
        switch (autoPad) {
            case "NOTSET" -> {
                if (pads == null) return new int[4];
                return new int[] {(int) pads[0], (int) pads[1], (int) pads[2], (int) pads[3]};
            }
            case "VALID" -> {
                return new int[4];
            }
            case "SAME_UPPER", "SAME_LOWER" -> {
                int[] r = new int[4];
                int[] in = {inH, inW}, k = {kH, kW}, s = {sH, sW};
                for (int d = 0; d < 2; d++) {
                    int out = (in[d] + s[d] - 1) / s[d];
                    int total = Math.max(0, (out - 1) * s[d] + k[d] - in[d]);
                    int small = total / 2, big = total - small;
                    r[d] = autoPad.equals("SAME_UPPER") ? small : big;
                    r[d + 2] = autoPad.equals("SAME_UPPER") ? big : small;
                }
                return r;
            }
            default -> throw new OnnxFormatException("node '" + node + "': auto_pad '" + autoPad + "' is not a valid value");
        }
    }

    private Step conv(Node n) {
        requireInputs(n, 2, 3);
        int group = Math.toIntExact(attrInt(n, "group", 1));
        long[] strides = attrInts(n, "strides", new long[] {1, 1}), pads = attrInts(n, "pads", null);
        long[] dil = attrInts(n, "dilations", new long[] {1, 1}), kernel = attrInts(n, "kernel_shape", null);
        if (strides.length != 2 || dil.length != 2 || (pads != null && pads.length != 4) || (kernel != null && kernel.length != 2))
            throw unsupported(n, "only 2D convolutions are supported yet (strides " + Arrays.toString(strides) + ", pads " + Arrays.toString(pads) + ")");
        if (group < 1) throw unsupported(n, "attribute group=" + group + " must be >= 1");
        String autoPad = attrString(n, "auto_pad", "NOTSET");
        String name = n.name;
        return step(n, (in, t) -> {
            Tensor x = in[0], w = in[1], b = in.length > 2 ? in[2] : null;
            requireRank(x, 4);
            if (w.rank() != 4) throw new IllegalArgumentException("weight " + Shape.str(w.shape()) + " is not [out, in/group, kH, kW]");
            // A dilated kernel spans (k - 1) * d + 1 pixels; ONNX's SAME_* rules pad for that span.
            int spanH = (w.size(2) - 1) * (int) dil[0] + 1, spanW = (w.size(3) - 1) * (int) dil[1] + 1;
            int[] p = resolvePads(autoPad, pads, x.size(2), x.size(3), spanH, spanW, (int) strides[0], (int) strides[1], name);
            ConvOptions o = ConvOptions.DEFAULT.stride((int) strides[0], (int) strides[1])
                    .padding(Padding.of(p[0], p[2], p[1], p[3])) // ONNX [top, left, bottom, right] -> (top, bottom, left, right)
                    .dilation((int) dil[0], (int) dil[1]).groups(group);
            return new Tensor[] {Functional.conv2d(x, w, b, o)};
        });
    }

    private Step convTranspose(Node n) {
        requireInputs(n, 2, 3);
        int group = Math.toIntExact(attrInt(n, "group", 1));
        if (n.attributes.containsKey("output_shape")) throw unsupported(n, "attribute output_shape not supported yet (give pads and output_padding)");
        String autoPad = attrString(n, "auto_pad", "NOTSET");
        if (!autoPad.equals("NOTSET") && !autoPad.equals("VALID")) throw unsupported(n, "attribute auto_pad=" + autoPad + " not supported yet");
        long[] s = attrInts(n, "strides", new long[] {1, 1}), p = attrInts(n, "pads", new long[4]),
                d = attrInts(n, "dilations", new long[] {1, 1}), op = attrInts(n, "output_padding", new long[] {0, 0});
        if (s.length != 2 || p.length != 4 || d.length != 2 || op.length != 2) throw unsupported(n, "only 2D transposed convolutions are supported");
        if (group < 1) throw unsupported(n, "attribute group=" + group + " must be >= 1");
        if (autoPad.equals("VALID")) p = new long[4];
        ConvOptions o = ConvOptions.DEFAULT.stride((int) s[0], (int) s[1])
                .padding(Padding.of((int) p[0], (int) p[2], (int) p[1], (int) p[3])) // ONNX [top, left, bottom, right]
                .dilation((int) d[0], (int) d[1]).outputPadding((int) op[0], (int) op[1]).groups(group);
        return step(n, (in, t) -> new Tensor[] {Functional.convTranspose2d(in[0], in[1], in.length > 2 ? in[2] : null, o)});
    }

    private Step gemm(Node n) {
        requireInputs(n, 2, 3);
        float alpha = attrFloat(n, "alpha", 1f), beta = attrFloat(n, "beta", 1f);
        boolean transA = attrInt(n, "transA", 0) != 0, transB = attrInt(n, "transB", 0) != 0;
        return step(n, (in, t) -> {
            Tensor a = in[0], b = in[1], c = in.length > 2 ? in[2] : null;
            if (a.rank() != 2 || b.rank() != 2) throw new IllegalArgumentException("Gemm needs rank-2 A and B");
            if (!transA && transB && alpha == 1f && (c == null || (beta == 1f && c.rank() == 1 && c.size(0) == b.size(0))))
                return new Tensor[] {LinearOp.apply(a, b, c)};
            Tensor y = MatMul.apply(transA ? View.transpose2d(a) : a, transB ? View.transpose2d(b) : b);
            if (alpha != 1f) y = Elementwise.mulScalar(y, alpha);
            if (c != null) y = Elementwise.add(y, beta == 1f ? c : Elementwise.mulScalar(c, beta));
            return new Tensor[] {y};
        });
    }

    private Step clip(Node n) {
        float lo, hi;
        if (opset < 11) {
            requireInputs(n, 1, 1);
            lo = attrFloat(n, "min", Float.NEGATIVE_INFINITY);
            hi = attrFloat(n, "max", Float.POSITIVE_INFINITY);
        } else {
            requireInputs(n, 1, 3);
            lo = scalarInput(n, 1, Float.NEGATIVE_INFINITY);
            hi = scalarInput(n, 2, Float.POSITIVE_INFINITY);
        }
        if (lo == 0f && hi == 6f) return firstInput(n, ActivationOp::relu6);
        if (lo == 0f && hi == Float.POSITIVE_INFINITY) return firstInput(n, ActivationOp::relu);
        return firstInput(n, x -> ClipOp.apply(x, lo, hi));
    }

    private Step pool(Node n, boolean max) {
        requireInputs(n, 1, 1);
        if (n.outputs.size() > 1 && !n.outputs.get(1).isEmpty()) throw unsupported(n, "the Indices output is not supported");
        if (!max) checkOnes(n, "dilations");
        long[] kernel = attrInts(n, "kernel_shape", null);
        if (kernel == null || kernel.length != 2) throw unsupported(n, "only 2D pooling is supported (kernel_shape " + Arrays.toString(kernel) + ")");
        long[] strides = attrInts(n, "strides", new long[] {1, 1}), pads = attrInts(n, "pads", null);
        long[] dil = attrInts(n, "dilations", new long[] {1, 1});
        if (strides.length != 2 || dil.length != 2 || (pads != null && pads.length != 4)) throw unsupported(n, "only 2D pooling is supported");
        boolean ceil = attrInt(n, "ceil_mode", 0) != 0;
        boolean countPad = attrInt(n, "count_include_pad", 0) != 0;
        String autoPad = attrString(n, "auto_pad", "NOTSET");
        int kh = (int) kernel[0], kw = (int) kernel[1], sh = (int) strides[0], sw = (int) strides[1], dh = (int) dil[0], dw = (int) dil[1];
        String name = n.name;
        return step(n, (in, t) -> {
            Tensor x = in[0];
            requireRank(x, 4);
            int h = x.size(2), w = x.size(3);
            int[] p = resolvePads(autoPad, pads, h, w, (kh - 1) * dh + 1, (kw - 1) * dw + 1, sh, sw, name); // top, left, bottom, right
            if (p[0] == p[2] && p[1] == p[3] && 2 * p[0] <= kh && 2 * p[1] <= kw) { // what the library's pooling layers take
                PoolNd pool = max
                        ? MaxPool2d.builder(kh, kw).stride(sh, sw).padding(p[0], p[1]).dilation(dh, dw).ceilMode(ceil).build()
                        : AvgPool2d.builder(kh, kw).stride(sh, sw).padding(p[0], p[1]).ceilMode(ceil).countIncludePad(countPad).build();
                return new Tensor[] {pool.forward(x)};
            }
            // Asymmetric or wide padding: pad explicitly (-inf for max, 0 for an average that counts padding), then pool unpadded.
            if (!max && !countPad)
                throw new IllegalArgumentException("count_include_pad=0 with asymmetric pads " + Arrays.toString(p) + " is not supported yet");
            if (dh != 1 || dw != 1) throw new IllegalArgumentException("dilated max pooling with asymmetric pads " + Arrays.toString(p) + " is not supported yet");
            if (ceil) {
                p[2] += ceilExtra(h, p[0], p[2], kh, sh);
                p[3] += ceilExtra(w, p[1], p[3], kw, sw);
            }
            x = PadOp.apply(x, new long[] {0, 0, p[0], p[1], 0, 0, p[2], p[3]}, PadOp.Mode.CONSTANT, max ? Float.NEGATIVE_INFINITY : 0f);
            PoolNd pool = max ? MaxPool2d.builder(kh, kw).stride(sh, sw).build() : AvgPool2d.builder(kh, kw).stride(sh, sw).build();
            return new Tensor[] {pool.forward(x)};
        });
    }

    /** Extra end padding that turns floor-mode output size into ceil mode (PyTorch's rule: the last window starts inside the input or left padding). */
    private static int ceilExtra(int in, int padBegin, int padEnd, int k, int s) {
        int span = in + padBegin + padEnd - k;
        int floorOut = span / s + 1, ceilOut = (span + s - 1) / s + 1;
        if (ceilOut > floorOut && (ceilOut - 1) * s >= in + padBegin) ceilOut--;
        return (ceilOut - 1) * s + k - (in + padBegin + padEnd);
    }

    private Step batchNorm(Node n) {
        requireInputs(n, 5, 5);
        for (int k = 1; k < 5; k++)
            if (!constants.containsKey(n.inputs.get(k)))
                throw unsupported(n, "input '" + n.inputs.get(k) + "' (scale, bias, mean, var) must be an initializer");
        if (n.outputs.size() > 1 && n.outputs.subList(1, n.outputs.size()).stream().anyMatch(o -> !o.isEmpty()))
            throw unsupported(n, "training-mode outputs (running mean/var) are not supported; cnn4j updates the statistics itself in train mode");
        float eps = attrFloat(n, "epsilon", 1e-5f), momentum = attrFloat(n, "momentum", 0.9f);
        Tensor mean = constants.get(n.inputs.get(3)), var = constants.get(n.inputs.get(4));
        return step(n, (in, training) -> {
            Tensor x = in[0];
            if (x.rank() < 2 || x.size(1) != mean.numel())
                throw new IllegalArgumentException("input " + Shape.str(x.shape()) + " needs " + mean.numel() + " channels in dimension 1");
            Tensor y = training
                    ? BatchNormOp.train(x, in[1], in[2], mean.data(), var.data(), 1f - momentum, eps, false)
                    : BatchNormOp.eval(x, in[1], in[2], mean.data(), var.data(), eps, false);
            return new Tensor[] {y};
        });
    }

    private Step dropout(Node n) {
        requireInputs(n, 1, 3);
        if (n.outputs.size() > 1 && !n.outputs.get(1).isEmpty()) throw unsupported(n, "the mask output is not supported");
        float ratio = opset >= 12 ? scalarInput(n, 1, 0.5f) : attrFloat(n, "ratio", 0.5f);
        if (ratio < 0f || ratio >= 1f) throw unsupported(n, "ratio " + ratio + " must be in [0, 1)");
        return step(n, (in, training) -> new Tensor[] {training && ratio > 0f ? DropoutOp.apply(in[0], ratio, 1, Rng.global()) : in[0]});
    }

    private Step reshape(Node n) {
        requireInputs(n, 2, 2);
        long[] shape = longInput(n, 1, "shape");
        boolean allowZero = attrInt(n, "allowzero", 0) != 0;
        return step(n, (in, t) -> {
            Tensor x = in[0];
            int[] target = new int[shape.length];
            for (int d = 0; d < shape.length; d++) {
                if (shape[d] == 0 && !allowZero) {
                    if (d >= x.rank()) throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " copies dimension " + d + " of a rank-" + x.rank() + " input");
                    target[d] = x.size(d);
                } else target[d] = (int) shape[d];
            }
            return new Tensor[] {View.reshape(x, target)};
        });
    }

    private Step softmax(Node n, boolean log) {
        requireInputs(n, 1, 1);
        long axis = attrInt(n, "axis", opset >= 13 ? -1 : 1);
        boolean coerce = opset < 13;
        return unary(n, x -> {
            int a = (int) (axis < 0 ? axis + x.rank() : axis);
            if (a < 0 || a >= x.rank()) throw new IllegalArgumentException("axis " + axis + " out of range for rank " + x.rank());
            if (coerce && a != x.rank() - 1) { // opset < 13: softmax over the flattened trailing dimensions
                int outer = 1;
                for (int d = 0; d < a; d++) outer *= x.size(d);
                Tensor flat = View.reshape(x, outer, x.numel() / outer);
                Tensor y = log ? SoftmaxOp.logSoftmax(flat, 1) : SoftmaxOp.softmax(flat, 1);
                return View.reshape(y, x.shape());
            }
            return log ? SoftmaxOp.logSoftmax(x, a) : SoftmaxOp.softmax(x, a);
        });
    }

    private Step constant(Node n) {
        String out = n.outputs.get(0);
        TensorData t;
        Attribute a;
        if ((a = attr(n, "value", Attribute.A_TENSOR)) != null) t = a.t;
        else if ((a = attr(n, "value_float", Attribute.A_FLOAT)) != null) t = TensorData.ofFloats(out, new float[] {a.f});
        else if ((a = attr(n, "value_floats", Attribute.A_FLOATS)) != null) t = TensorData.ofFloats(out, a.floats, a.floats.length);
        else if ((a = attr(n, "value_int", Attribute.A_INT)) != null) t = TensorData.ofLongs(out, new long[] {a.i});
        else if ((a = attr(n, "value_ints", Attribute.A_INTS)) != null) t = TensorData.ofLongs(out, a.ints, a.ints.length);
        else throw unsupported(n, "needs a value, value_float(s) or value_int(s) attribute");
        if (t.isFloat()) constants.put(out, new Tensor(t.floats, t.intDims()));
        else longConstants.put(out, t);
        return null;
    }

    private Step pad(Node n) {
        String modeName = attrString(n, "mode", "constant");
        PadOp.Mode mode = switch (modeName) {
            case "constant" -> PadOp.Mode.CONSTANT;
            case "reflect" -> PadOp.Mode.REFLECT;
            case "edge" -> PadOp.Mode.EDGE;
            default -> throw unsupported(n, "attribute mode='" + modeName + "' not supported (constant, reflect, edge)");
        };
        long[] pads;
        float value;
        if (opset < 11) {
            requireInputs(n, 1, 1);
            pads = attrInts(n, "pads", null);
            if (pads == null) throw unsupported(n, "attribute 'pads' is required");
            value = attrFloat(n, "value", 0f);
        } else {
            requireInputs(n, 2, 4);
            pads = longInput(n, 1, "pads");
            value = scalarInput(n, 2, 0f);
            if (n.inputs.size() > 3 && !n.inputs.get(3).isEmpty()) throw unsupported(n, "the axes input is not supported yet");
        }
        return firstInput(n, x -> PadOp.apply(x, pads, mode, value));
    }
}
