package org.cnn4j.onnx;

import org.cnn4j.onnx.proto.OnnxProto;
import org.cnn4j.onnx.proto.OnnxProto.TensorData;

import java.util.Arrays;
import java.util.Set;

/**
 * Evaluates integer shape arithmetic at load time. Exporters such as torch.onnx compute Pad's pads or
 * Reshape's shape with small subgraphs of constants (ConstantOfShape, Concat, Reshape, Slice, Transpose,
 * Cast, Gather, Unsqueeze, Squeeze); when all of a node's inputs are integer constants the importer
 * folds the node here instead of running it.
 */
final class ConstantFolding {
    private ConstantFolding() {}

    static final Set<String> FOLDABLE = Set.of("ConstantOfShape", "Concat", "Reshape", "Slice", "Transpose", "Cast", "Gather",
            "Unsqueeze", "Squeeze");

    interface Attr {
        long[] ints(String name, long[] def);

        long i(String name, long def);

        TensorData tensor(String name);
    }

    /** The folded value, or throws IllegalArgumentException naming the problem. */
    static TensorData fold(String op, TensorData[] in, Attr a, String out) {
        return switch (op) {
            case "ConstantOfShape" -> {
                long[] dims = in[0].longs;
                int n = count(dims);
                TensorData v = a.tensor("value");
                if (v != null && v.isFloat()) {
                    float[] f = new float[n];
                    Arrays.fill(f, v.floats[0]);
                    yield TensorData.ofFloats(out, f, dims);
                }
                long[] l = new long[n];
                Arrays.fill(l, v == null ? 0 : v.longs[0]);
                yield TensorData.ofLongs(out, l, dims);
            }
            case "Cast" -> {
                long to = a.i("to", -1);
                if (to == OnnxProto.INT64 || to == OnnxProto.INT32) yield TensorData.ofLongs(out, in[0].longs.clone(), in[0].dims);
                if (to == OnnxProto.FLOAT || to == OnnxProto.DOUBLE) {
                    float[] f = new float[in[0].longs.length];
                    for (int k = 0; k < f.length; k++) f[k] = in[0].longs[k];
                    yield TensorData.ofFloats(out, f, in[0].dims);
                }
                throw new IllegalArgumentException("Cast of an integer constant to type " + to + " is not supported");
            }
            case "Reshape" -> TensorData.ofLongs(out, in[0].longs, reshapeDims(in[0].dims, in[1].longs, in[0].longs.length));
            case "Unsqueeze" -> {
                long[] axes = in.length > 1 && in[1] != null ? in[1].longs : a.ints("axes", new long[0]);
                int rank = in[0].dims.length + axes.length;
                boolean[] isNew = new boolean[rank];
                for (long ax : axes) isNew[(int) (ax < 0 ? ax + rank : ax)] = true;
                long[] dims = new long[rank];
                for (int d = 0, s = 0; d < rank; d++) dims[d] = isNew[d] ? 1 : in[0].dims[s++];
                yield TensorData.ofLongs(out, in[0].longs, dims);
            }
            case "Squeeze" -> {
                long[] axes = in.length > 1 && in[1] != null ? in[1].longs : a.ints("axes", null);
                long[] src = in[0].dims;
                long[] dims = Arrays.stream(range(src.length)).filter(d -> {
                    if (axes == null) return src[d] != 1;
                    for (long ax : axes) if ((ax < 0 ? ax + src.length : ax) == d) return false;
                    return true;
                }).mapToLong(d -> src[d]).toArray();
                yield TensorData.ofLongs(out, in[0].longs, dims);
            }
            case "Concat" -> {
                int rank = in[0].dims.length;
                long axis = a.i("axis", 0);
                int ax = (int) (axis < 0 ? axis + rank : axis);
                long[] dims = in[0].dims.clone();
                dims[ax] = 0;
                for (TensorData t : in) dims[ax] += t.dims[ax];
                long[] r = new long[count(dims)];
                int outer = count(Arrays.copyOf(dims, ax)), inner = count(Arrays.copyOfRange(dims, ax + 1, rank)), pos = 0;
                for (int o = 0; o < outer; o++)
                    for (TensorData t : in) {
                        int len = (int) t.dims[ax] * inner;
                        System.arraycopy(t.longs, o * len, r, pos, len);
                        pos += len;
                    }
                yield TensorData.ofLongs(out, r, dims);
            }
            case "Transpose" -> {
                long[] src = in[0].dims;
                int rank = src.length;
                long[] perm = a.ints("perm", null);
                if (perm == null) {
                    perm = new long[rank];
                    for (int d = 0; d < rank; d++) perm[d] = rank - 1 - d;
                }
                long[] dims = new long[rank];
                for (int d = 0; d < rank; d++) dims[d] = src[(int) perm[d]];
                int[] srcStrides = strides(src);
                long[] r = new long[count(dims)];
                int[] idx = new int[rank];
                for (int i = 0; i < r.length; i++) {
                    int p = 0;
                    for (int d = 0; d < rank; d++) p += idx[d] * srcStrides[(int) perm[d]];
                    r[i] = in[0].longs[p];
                    increment(idx, dims);
                }
                yield TensorData.ofLongs(out, r, dims);
            }
            case "Slice" -> {
                long[] src = in[0].dims;
                int rank = src.length;
                long[] starts = in[1].longs, ends = in[2].longs;
                long[] axes = in.length > 3 && in[3] != null ? in[3].longs : null;
                long[] steps = in.length > 4 && in[4] != null ? in[4].longs : null;
                long[] begin = new long[rank], step = new long[rank], dims = src.clone();
                Arrays.fill(step, 1);
                for (int k = 0; k < starts.length; k++) {
                    int ax = (int) (axes == null ? k : axes[k] < 0 ? axes[k] + rank : axes[k]);
                    long st = steps == null ? 1 : steps[k], size = src[ax];
                    if (st == 0) throw new IllegalArgumentException("Slice step 0");
                    long s = starts[k] < 0 ? starts[k] + size : starts[k], e = ends[k] < 0 ? ends[k] + size : ends[k];
                    if (st > 0) {
                        s = Math.clamp(s, 0, size);
                        e = Math.clamp(e, 0, size);
                        dims[ax] = Math.max(0, (e - s + st - 1) / st);
                    } else {
                        s = Math.clamp(s, -1, size - 1);
                        e = Math.clamp(e, -1, size - 1);
                        dims[ax] = Math.max(0, (s - e + (-st) - 1) / (-st));
                    }
                    begin[ax] = s;
                    step[ax] = st;
                }
                int[] srcStrides = strides(src);
                long[] r = new long[count(dims)];
                int[] idx = new int[rank];
                for (int i = 0; i < r.length; i++) {
                    long p = 0;
                    for (int d = 0; d < rank; d++) p += (begin[d] + idx[d] * step[d]) * srcStrides[d];
                    r[i] = in[0].longs[(int) p];
                    increment(idx, dims);
                }
                yield TensorData.ofLongs(out, r, dims);
            }
            case "Gather" -> {
                long[] src = in[0].dims;
                int rank = src.length;
                long axis = a.i("axis", 0);
                int ax = (int) (axis < 0 ? axis + rank : axis);
                long[] ind = in[1].longs;
                long[] dims = new long[rank - 1 + in[1].dims.length];
                int k = 0;
                for (int d = 0; d < ax; d++) dims[k++] = src[d];
                for (long d : in[1].dims) dims[k++] = d;
                for (int d = ax + 1; d < rank; d++) dims[k++] = src[d];
                int outer = count(Arrays.copyOf(src, ax)), inner = count(Arrays.copyOfRange(src, ax + 1, rank));
                long[] r = new long[count(dims)];
                int pos = 0;
                for (int o = 0; o < outer; o++)
                    for (long j : ind) {
                        long jj = j < 0 ? j + src[ax] : j;
                        if (jj < 0 || jj >= src[ax]) throw new IllegalArgumentException("Gather index " + j + " out of range " + src[ax]);
                        System.arraycopy(in[0].longs, (int) ((o * src[ax] + jj) * inner), r, pos, inner);
                        pos += inner;
                    }
                yield TensorData.ofLongs(out, r, dims);
            }
            default -> throw new IllegalArgumentException("cannot fold " + op);
        };
    }

    private static int[] range(int n) {
        int[] r = new int[n];
        for (int k = 0; k < n; k++) r[k] = k;
        return r;
    }

    static long[] reshapeDims(long[] src, long[] shape, int count) {
        long[] dims = shape.clone();
        int infer = -1;
        long known = 1;
        for (int d = 0; d < dims.length; d++) {
            if (dims[d] == 0) dims[d] = src[d];
            if (dims[d] == -1) infer = d;
            else known *= dims[d];
        }
        if (infer >= 0) dims[infer] = known == 0 ? 0 : count / known;
        if (count(dims) != count) throw new IllegalArgumentException("cannot reshape " + Arrays.toString(src) + " to " + Arrays.toString(shape));
        return dims;
    }

    private static int count(long[] dims) {
        long n = 1;
        for (long d : dims) n *= d;
        if (n > 1 << 24) throw new IllegalArgumentException("integer constant of " + n + " elements is too large to fold");
        return (int) n;
    }

    private static int[] strides(long[] dims) {
        int[] s = new int[dims.length];
        int acc = 1;
        for (int d = dims.length - 1; d >= 0; d--) {
            s[d] = acc;
            acc *= (int) dims[d];
        }
        return s;
    }

    private static void increment(int[] idx, long[] dims) {
        for (int d = idx.length - 1; d >= 0; d--) {
            if (++idx[d] < dims[d]) return;
            idx[d] = 0;
        }
    }
}
