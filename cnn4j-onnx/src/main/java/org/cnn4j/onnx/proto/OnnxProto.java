package org.cnn4j.onnx.proto;

import org.cnn4j.onnx.OnnxFormatException;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The subset of the ONNX messages (see {@code src/main/proto/onnx.proto}, whose field numbers these
 * follow) that CNN models use, with a bounded parser and a writer. Fields this code does not model are
 * skipped on reading. Tensor payloads are decoded to float or long arrays once, after their element
 * count has been checked against the bytes actually present.
 */
public final class OnnxProto {
    private OnnxProto() {}

    public static final int FLOAT = 1, UINT8 = 2, INT8 = 3, INT32 = 6, INT64 = 7, BOOL = 9, DOUBLE = 11;

    // ------------------------------------------------------------------ messages

    public static final class Model {
        public long irVersion = 8;
        public String producerName = "", producerVersion = "", domain = "";
        public final Map<String, Long> opsets = new LinkedHashMap<>();
        public Graph graph;
    }

    public static final class Graph {
        public String name = "";
        public final List<Node> nodes = new ArrayList<>();
        public final List<TensorData> initializers = new ArrayList<>();
        public final List<ValueInfo> inputs = new ArrayList<>(), outputs = new ArrayList<>(), valueInfo = new ArrayList<>();
    }

    public static final class Node {
        public String name = "", opType = "", domain = "";
        public final List<String> inputs = new ArrayList<>(), outputs = new ArrayList<>();
        public final Map<String, Attribute> attributes = new LinkedHashMap<>();

        public Node() {}

        public Node(String name, String opType, List<String> inputs, List<String> outputs) {
            this.name = name;
            this.opType = opType;
            this.inputs.addAll(inputs);
            this.outputs.addAll(outputs);
        }

        public Node attr(Attribute a) {
            attributes.put(a.name, a);
            return this;
        }
    }

    public static final class Attribute {
        public static final int A_FLOAT = 1, A_INT = 2, A_STRING = 3, A_TENSOR = 4, A_GRAPH = 5, A_FLOATS = 6, A_INTS = 7,
                A_STRINGS = 8;
        public String name = "";
        public int type;
        public float f;
        public long i;
        public byte[] s;
        public TensorData t;
        public float[] floats = new float[0];
        public long[] ints = new long[0];

        public static Attribute ofInt(String name, long v) {
            Attribute a = new Attribute();
            a.name = name;
            a.type = A_INT;
            a.i = v;
            return a;
        }

        public static Attribute ofFloat(String name, float v) {
            Attribute a = new Attribute();
            a.name = name;
            a.type = A_FLOAT;
            a.f = v;
            return a;
        }

        public static Attribute ofInts(String name, long... v) {
            Attribute a = new Attribute();
            a.name = name;
            a.type = A_INTS;
            a.ints = v;
            return a;
        }

        public static Attribute ofString(String name, String v) {
            Attribute a = new Attribute();
            a.name = name;
            a.type = A_STRING;
            a.s = v.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            return a;
        }

        public static Attribute ofTensor(String name, TensorData v) {
            Attribute a = new Attribute();
            a.name = name;
            a.type = A_TENSOR;
            a.t = v;
            return a;
        }
    }

    /** A TensorProto decoded to floats (FLOAT, DOUBLE) or longs (integer and bool types). */
    public static final class TensorData {
        public String name = "";
        public int dataType;
        public long[] dims = new long[0];
        public float[] floats;
        public long[] longs;

        public static TensorData ofFloats(String name, float[] data, long... dims) {
            TensorData t = new TensorData();
            t.name = name;
            t.dataType = FLOAT;
            t.floats = data;
            t.dims = dims;
            return t;
        }

        public static TensorData ofLongs(String name, long[] data, long... dims) {
            TensorData t = new TensorData();
            t.name = name;
            t.dataType = INT64;
            t.longs = data;
            t.dims = dims;
            return t;
        }

        public boolean isFloat() {
            return floats != null;
        }

        public int[] intDims() {
            int[] d = new int[dims.length];
            for (int k = 0; k < d.length; k++) d[k] = (int) dims[k];
            return d;
        }
    }

    /** A graph input/output: its name, element type and shape (a dimension is -1 when symbolic or unknown). */
    public static final class ValueInfo {
        public String name = "";
        public int elemType = FLOAT;
        public long[] dims; // null when the shape is unknown
        public String[] dimParams;

        public ValueInfo() {}

        public ValueInfo(String name, long[] dims, String[] dimParams) {
            this.name = name;
            this.dims = dims;
            this.dimParams = dimParams;
        }
    }

    // ------------------------------------------------------------------ parsing

    public static Model parseModel(byte[] bytes, String source) {
        ProtoReader r = new ProtoReader(bytes, source);
        Model m = new Model();
        while (r.hasMore()) {
            int tag = r.readTag();
            switch (tag >>> 3) {
                case 1 -> { r.expect(tag, ProtoReader.VARINT, "ir_version"); m.irVersion = r.readVarint(); }
                case 2 -> { r.expect(tag, ProtoReader.LEN, "producer_name"); m.producerName = r.readString(); }
                case 3 -> { r.expect(tag, ProtoReader.LEN, "producer_version"); m.producerVersion = r.readString(); }
                case 4 -> { r.expect(tag, ProtoReader.LEN, "domain"); m.domain = r.readString(); }
                case 7 -> { r.expect(tag, ProtoReader.LEN, "graph"); m.graph = parseGraph(r.readMessage("graph")); }
                case 8 -> {
                    r.expect(tag, ProtoReader.LEN, "opset_import");
                    ProtoReader o = r.readMessage("opset_import");
                    String domain = "";
                    long version = 0;
                    while (o.hasMore()) {
                        int t = o.readTag();
                        if (t >>> 3 == 1 && (t & 7) == ProtoReader.LEN) domain = o.readString();
                        else if (t >>> 3 == 2 && (t & 7) == ProtoReader.VARINT) version = o.readVarint();
                        else o.skip(t & 7);
                    }
                    m.opsets.put(domain, version);
                }
                default -> r.skip(tag & 7);
            }
        }
        if (m.graph == null) throw new OnnxFormatException(source + ": ModelProto has no graph (field 7); is this an ONNX model file?");
        return m;
    }

    private static Graph parseGraph(ProtoReader r) {
        Graph g = new Graph();
        while (r.hasMore()) {
            int tag = r.readTag();
            switch (tag >>> 3) {
                case 1 -> { r.expect(tag, ProtoReader.LEN, "node"); g.nodes.add(parseNode(r.readMessage("node[" + g.nodes.size() + "]"))); }
                case 2 -> { r.expect(tag, ProtoReader.LEN, "name"); g.name = r.readString(); }
                case 5 -> { r.expect(tag, ProtoReader.LEN, "initializer"); g.initializers.add(parseTensor(r.readMessage("initializer[" + g.initializers.size() + "]"))); }
                case 11 -> { r.expect(tag, ProtoReader.LEN, "input"); g.inputs.add(parseValueInfo(r.readMessage("input"))); }
                case 12 -> { r.expect(tag, ProtoReader.LEN, "output"); g.outputs.add(parseValueInfo(r.readMessage("output"))); }
                case 13 -> { r.expect(tag, ProtoReader.LEN, "value_info"); g.valueInfo.add(parseValueInfo(r.readMessage("value_info"))); }
                case 15 -> throw r.error("sparse_initializer is not supported");
                default -> r.skip(tag & 7);
            }
        }
        return g;
    }

    private static Node parseNode(ProtoReader r) {
        Node n = new Node();
        while (r.hasMore()) {
            int tag = r.readTag();
            switch (tag >>> 3) {
                case 1 -> { r.expect(tag, ProtoReader.LEN, "input"); n.inputs.add(r.readString()); }
                case 2 -> { r.expect(tag, ProtoReader.LEN, "output"); n.outputs.add(r.readString()); }
                case 3 -> { r.expect(tag, ProtoReader.LEN, "name"); n.name = r.readString(); }
                case 4 -> { r.expect(tag, ProtoReader.LEN, "op_type"); n.opType = r.readString(); }
                case 7 -> { r.expect(tag, ProtoReader.LEN, "domain"); n.domain = r.readString(); }
                case 5 -> {
                    r.expect(tag, ProtoReader.LEN, "attribute");
                    Attribute a = parseAttribute(r.readMessage("attribute"));
                    n.attributes.put(a.name, a);
                }
                default -> r.skip(tag & 7);
            }
        }
        return n;
    }

    private static Attribute parseAttribute(ProtoReader r) {
        Attribute a = new Attribute();
        ProtoReader.LongList ints = new ProtoReader.LongList();
        ProtoReader.FloatList floats = new ProtoReader.FloatList();
        while (r.hasMore()) {
            int tag = r.readTag();
            switch (tag >>> 3) {
                case 1 -> { r.expect(tag, ProtoReader.LEN, "name"); a.name = r.readString(); }
                case 2 -> { r.expect(tag, ProtoReader.FIXED32, "f"); a.f = r.readFloat(); }
                case 3 -> { r.expect(tag, ProtoReader.VARINT, "i"); a.i = r.readVarint(); }
                case 4 -> { r.expect(tag, ProtoReader.LEN, "s"); a.s = r.readBytes(); }
                case 5 -> { r.expect(tag, ProtoReader.LEN, "t"); a.t = parseTensor(r.readMessage("t")); }
                case 7 -> r.readFloats(tag & 7, floats);
                case 8 -> r.readInt64s(tag & 7, ints);
                case 20 -> { r.expect(tag, ProtoReader.VARINT, "type"); a.type = r.readInt32(); }
                default -> r.skip(tag & 7);
            }
        }
        a.ints = ints.toArray();
        a.floats = floats.toArray();
        return a;
    }

    private static ValueInfo parseValueInfo(ProtoReader r) {
        ValueInfo v = new ValueInfo();
        while (r.hasMore()) {
            int tag = r.readTag();
            if (tag >>> 3 == 1 && (tag & 7) == ProtoReader.LEN) v.name = r.readString();
            else if (tag >>> 3 == 2 && (tag & 7) == ProtoReader.LEN) {
                ProtoReader type = r.readMessage("type");
                while (type.hasMore()) {
                    int t = type.readTag();
                    if (t >>> 3 == 1 && (t & 7) == ProtoReader.LEN) parseTensorType(type.readMessage("tensor_type"), v);
                    else type.skip(t & 7);
                }
            } else r.skip(tag & 7);
        }
        return v;
    }

    private static void parseTensorType(ProtoReader r, ValueInfo v) {
        while (r.hasMore()) {
            int t = r.readTag();
            if (t >>> 3 == 1 && (t & 7) == ProtoReader.VARINT) v.elemType = r.readInt32();
            else if (t >>> 3 == 2 && (t & 7) == ProtoReader.LEN) {
                ProtoReader shape = r.readMessage("shape");
                ProtoReader.LongList dims = new ProtoReader.LongList();
                List<String> params = new ArrayList<>();
                while (shape.hasMore()) {
                    int st = shape.readTag();
                    if (st >>> 3 == 1 && (st & 7) == ProtoReader.LEN) {
                        ProtoReader dim = shape.readMessage("dim");
                        long value = -1;
                        String param = null;
                        while (dim.hasMore()) {
                            int dt = dim.readTag();
                            if (dt >>> 3 == 1 && (dt & 7) == ProtoReader.VARINT) value = dim.readVarint();
                            else if (dt >>> 3 == 2 && (dt & 7) == ProtoReader.LEN) param = dim.readString();
                            else dim.skip(dt & 7);
                        }
                        dims.add(value);
                        params.add(param);
                    } else shape.skip(st & 7);
                }
                v.dims = dims.toArray();
                v.dimParams = params.toArray(new String[0]);
            } else r.skip(t & 7);
        }
    }

    static TensorData parseTensor(ProtoReader r) {
        TensorData t = new TensorData();
        ProtoReader.LongList dims = new ProtoReader.LongList(), int64 = new ProtoReader.LongList(), int32 = new ProtoReader.LongList();
        ProtoReader.FloatList floats = new ProtoReader.FloatList();
        ProtoReader.LongList doubles = new ProtoReader.LongList();
        byte[] raw = null;
        int start = r.offset();
        while (r.hasMore()) {
            int tag = r.readTag();
            switch (tag >>> 3) {
                case 1 -> r.readInt64s(tag & 7, dims);
                case 2 -> { r.expect(tag, ProtoReader.VARINT, "data_type"); t.dataType = r.readInt32(); }
                case 4 -> r.readFloats(tag & 7, floats);
                case 5 -> r.readInt64s(tag & 7, int32);
                case 7 -> r.readInt64s(tag & 7, int64);
                case 8 -> { r.expect(tag, ProtoReader.LEN, "name"); t.name = r.readString(); }
                case 9 -> { r.expect(tag, ProtoReader.LEN, "raw_data"); raw = r.readBytes(); }
                case 10 -> {
                    if ((tag & 7) == ProtoReader.FIXED64) doubles.add(r.readFixed64());
                    else {
                        ProtoReader p = r.readMessage("double_data");
                        while (p.hasMore()) doubles.add(p.readFixed64());
                    }
                }
                case 13 -> throw r.error("tensor uses external_data, which is not supported (save the model with all tensors inside the file)");
                case 14 -> {
                    long loc = r.readVarint();
                    if (loc != 0) throw r.error("tensor data_location " + loc + " (external) is not supported");
                }
                default -> r.skip(tag & 7);
            }
        }
        t.dims = dims.toArray();
        long count = 1;
        for (long d : t.dims) {
            if (d < 0) throw r.error("tensor '" + t.name + "' has negative dimension " + d, start);
            count *= d;
            if (count > Integer.MAX_VALUE) throw r.error("tensor '" + t.name + "' has more than 2^31-1 elements", start);
        }
        int n = (int) count;
        int elemSize = switch (t.dataType) {
            case FLOAT, INT32 -> 4;
            case INT64, DOUBLE -> 8;
            case INT8, UINT8, BOOL -> 1;
            default -> throw r.error("tensor '" + t.name + "' has data type " + t.dataType
                    + ", not supported (supported: float, double, int8, uint8, int32, int64, bool)", start);
        };
        if (raw != null) {
            if ((long) n * elemSize != raw.length)
                throw r.error("tensor '" + t.name + "': raw_data has " + raw.length + " bytes, dims " + java.util.Arrays.toString(t.dims)
                        + " need " + (long) n * elemSize, start);
            ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
            switch (t.dataType) {
                case FLOAT -> { t.floats = new float[n]; b.asFloatBuffer().get(t.floats); }
                case DOUBLE -> { t.floats = new float[n]; for (int k = 0; k < n; k++) t.floats[k] = (float) b.getDouble(); }
                case INT32 -> { t.longs = new long[n]; for (int k = 0; k < n; k++) t.longs[k] = b.getInt(); }
                case INT64 -> { t.longs = new long[n]; b.asLongBuffer().get(t.longs); }
                case UINT8 -> { t.longs = new long[n]; for (int k = 0; k < n; k++) t.longs[k] = raw[k] & 0xff; }
                default -> { t.longs = new long[n]; for (int k = 0; k < n; k++) t.longs[k] = raw[k]; }
            }
        } else {
            int got;
            switch (t.dataType) {
                case FLOAT -> { t.floats = floats.toArray(); got = t.floats.length; }
                case DOUBLE -> {
                    long[] bits = doubles.toArray();
                    t.floats = new float[bits.length];
                    for (int k = 0; k < bits.length; k++) t.floats[k] = (float) Double.longBitsToDouble(bits[k]);
                    got = bits.length;
                }
                case INT64 -> { t.longs = int64.toArray(); got = t.longs.length; }
                default -> { t.longs = int32.toArray(); got = t.longs.length; }
            }
            if (got != n)
                throw r.error("tensor '" + t.name + "' has " + got + " values, dims " + java.util.Arrays.toString(t.dims) + " need " + n, start);
        }
        return t;
    }

    // ------------------------------------------------------------------ writing

    public static byte[] write(Model m) {
        ProtoWriter w = new ProtoWriter();
        w.int64(1, m.irVersion);
        if (!m.producerName.isEmpty()) w.string(2, m.producerName);
        if (!m.producerVersion.isEmpty()) w.string(3, m.producerVersion);
        w.message(7, writeGraph(m.graph));
        for (var e : m.opsets.entrySet()) {
            ProtoWriter o = new ProtoWriter();
            if (!e.getKey().isEmpty()) o.string(1, e.getKey());
            o.int64(2, e.getValue());
            w.message(8, o);
        }
        return w.toByteArray();
    }

    private static ProtoWriter writeGraph(Graph g) {
        ProtoWriter w = new ProtoWriter();
        for (Node n : g.nodes) w.message(1, writeNode(n));
        w.string(2, g.name.isEmpty() ? "graph" : g.name);
        for (TensorData t : g.initializers) w.message(5, writeTensor(t));
        for (ValueInfo v : g.inputs) w.message(11, writeValueInfo(v));
        for (ValueInfo v : g.outputs) w.message(12, writeValueInfo(v));
        return w;
    }

    private static ProtoWriter writeNode(Node n) {
        ProtoWriter w = new ProtoWriter();
        for (String s : n.inputs) w.string(1, s);
        for (String s : n.outputs) w.string(2, s);
        if (!n.name.isEmpty()) w.string(3, n.name);
        w.string(4, n.opType);
        for (Attribute a : n.attributes.values()) w.message(5, writeAttribute(a));
        if (!n.domain.isEmpty()) w.string(7, n.domain);
        return w;
    }

    private static ProtoWriter writeAttribute(Attribute a) {
        ProtoWriter w = new ProtoWriter();
        w.string(1, a.name);
        switch (a.type) {
            case Attribute.A_FLOAT -> w.float32(2, a.f);
            case Attribute.A_INT -> w.int64(3, a.i);
            case Attribute.A_STRING -> w.bytes(4, a.s);
            case Attribute.A_TENSOR -> w.message(5, writeTensor(a.t));
            case Attribute.A_FLOATS -> w.packedFloat(7, a.floats);
            case Attribute.A_INTS -> w.packedInt64(8, a.ints);
            default -> throw new IllegalArgumentException("attribute type " + a.type + " cannot be written");
        }
        w.int64(20, a.type);
        return w;
    }

    private static ProtoWriter writeTensor(TensorData t) {
        ProtoWriter w = new ProtoWriter();
        if (t.dims.length > 0) w.packedInt64(1, t.dims);
        w.int64(2, t.dataType);
        if (!t.name.isEmpty()) w.string(8, t.name);
        ByteBuffer b;
        if (t.dataType == FLOAT) {
            b = ByteBuffer.allocate(t.floats.length * 4).order(ByteOrder.LITTLE_ENDIAN);
            b.asFloatBuffer().put(t.floats);
        } else if (t.dataType == INT64) {
            b = ByteBuffer.allocate(t.longs.length * 8).order(ByteOrder.LITTLE_ENDIAN);
            b.asLongBuffer().put(t.longs);
        } else throw new IllegalArgumentException("tensor data type " + t.dataType + " cannot be written");
        w.bytes(9, b.array());
        return w;
    }

    private static ProtoWriter writeValueInfo(ValueInfo v) {
        ProtoWriter w = new ProtoWriter();
        w.string(1, v.name);
        ProtoWriter tensorType = new ProtoWriter();
        tensorType.int64(1, v.elemType);
        if (v.dims != null) {
            ProtoWriter shape = new ProtoWriter();
            for (int k = 0; k < v.dims.length; k++) {
                ProtoWriter dim = new ProtoWriter();
                if (v.dimParams != null && v.dimParams[k] != null) dim.string(2, v.dimParams[k]);
                else dim.int64(1, v.dims[k]);
                shape.message(1, dim);
            }
            tensorType.message(2, shape);
        }
        ProtoWriter type = new ProtoWriter();
        type.message(1, tensorType);
        w.message(2, type);
        return w;
    }
}
