package org.cnn4j.autograd.ops;

import org.cnn4j.autograd.Node;
import org.cnn4j.tensor.BufferPool;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;

import java.util.Arrays;

/**
 * Shape operations that move or combine data: permute, concatenate, n-ary add, and the flatten /
 * unflatten views (which share storage, through {@link View#reshape}). Dimensions may be negative,
 * counted from the end, as in PyTorch. Errors name the shapes and the rule that failed.
 */
public final class ShapeOps {
    private ShapeOps() {}

    /**
     * forward: y = x.permute(dims): y's dimension i is x's dimension dims[i] (a copy, contiguous).
     * backward: dx[index mapped back] = dy (the inverse permutation; every element exactly once).
     */
    public static Tensor permute(Tensor x, int... dims) {
        int[] in = x.shape();
        int rank = in.length;
        if (dims.length != rank)
            throw new IllegalArgumentException("permute: dims " + Arrays.toString(dims) + " has " + dims.length
                    + " entries, the input " + Shape.str(in) + " has rank " + rank);
        int[] p = new int[rank];
        boolean[] seen = new boolean[rank];
        for (int i = 0; i < rank; i++) {
            int d = dims[i] < 0 ? dims[i] + rank : dims[i];
            if (d < 0 || d >= rank || seen[d])
                throw new IllegalArgumentException("permute: dims " + Arrays.toString(dims) + " is not a permutation of the "
                        + rank + " dimensions of " + Shape.str(in));
            seen[d] = true;
            p[i] = d;
        }
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) out[i] = in[p[i]];
        int[] index = permutedIndex(in, p, out);
        float[] a = x.data(), y = BufferPool.floats(a.length);
        if (index == null) System.arraycopy(a, 0, y, 0, a.length);
        else for (int i = 0; i < y.length; i++) y[i] = a[index[i]];
        Tensor result = new Tensor(y, out);
        if (Node.needsGrad(x)) result.attach(new Node(x) {
            @Override
            protected void backward(float[] dy) {
                addGradient(x, dx -> {
                    if (index == null) System.arraycopy(dy, 0, dx, 0, dy.length);
                    else for (int i = 0; i < dy.length; i++) dx[index[i]] = dy[i];
                });
            }

            @Override
            public String name() {
                return "Permute";
            }
        });
        return result;
    }

    /** For each output element, its flat index in the input; null for the identity permutation. */
    private static int[] permutedIndex(int[] in, int[] p, int[] out) {
        boolean identity = true;
        for (int i = 0; i < p.length; i++) identity &= p[i] == i;
        if (identity) return null;
        int rank = in.length, n = Shape.size(out);
        int[] inStrides = Shape.strides(in), stride = new int[rank];
        for (int i = 0; i < rank; i++) stride[i] = inStrides[p[i]];
        int[] index = new int[n], counter = new int[rank];
        int pos = 0;
        for (int i = 0; i < n; i++) {
            index[i] = pos;
            for (int d = rank - 1; d >= 0; d--) { // odometer over the output
                counter[d]++;
                pos += stride[d];
                if (counter[d] < out[d]) break;
                pos -= stride[d] * counter[d];
                counter[d] = 0;
            }
        }
        return index;
    }

    /**
     * forward: y = cat(inputs, dim): the inputs (same rank, same sizes except along dim) one after
     * another along dim. backward: each input's gradient is its slice of dy along dim.
     */
    public static Tensor cat(int dim, Tensor... inputs) {
        if (inputs.length == 0) throw new IllegalArgumentException("cat: needs at least one tensor");
        int[] first = inputs[0].shape();
        int rank = first.length;
        if (rank == 0) throw new IllegalArgumentException("cat: zero-dimensional tensors cannot be concatenated");
        int d = Shape.dim(dim, rank);
        int[] out = first.clone();
        out[d] = 0;
        for (Tensor t : inputs) {
            int[] s = t.shape();
            boolean ok = s.length == rank;
            for (int i = 0; ok && i < rank; i++) ok = i == d || s[i] == first[i];
            if (!ok) throw new IllegalArgumentException("cat along dimension " + dim + ": shapes " + shapes(inputs)
                    + " must have the same rank and equal sizes in every other dimension");
            out[d] += s[d];
        }
        int outer = 1, inner = 1;
        for (int i = 0; i < d; i++) outer *= first[i];
        for (int i = d + 1; i < rank; i++) inner *= first[i];
        int rowOut = out[d] * inner;
        int[] offset = new int[inputs.length], block = new int[inputs.length];
        for (int k = 0, o = 0; k < inputs.length; k++) {
            offset[k] = o;
            block[k] = inputs[k].size(d) * inner;
            o += block[k];
        }
        float[] y = BufferPool.floats(Shape.size(out));
        for (int k = 0; k < inputs.length; k++) {
            float[] a = inputs[k].data();
            for (int o = 0; o < outer; o++) System.arraycopy(a, o * block[k], y, o * rowOut + offset[k], block[k]);
        }
        Tensor result = new Tensor(y, out);
        final int fOuter = outer;
        if (Node.needsGrad(inputs)) result.attach(new Node(inputs) {
            @Override
            protected void backward(float[] dy) {
                for (int k = 0; k < inputs.length; k++) {
                    if (!inputs[k].requiresGrad()) continue;
                    int kk = k;
                    addGradient(inputs[k], dx -> {
                        for (int o = 0; o < fOuter; o++) System.arraycopy(dy, o * rowOut + offset[kk], dx, o * block[kk], block[kk]);
                    });
                }
            }

            @Override
            public String name() {
                return "Cat";
            }
        });
        return result;
    }

    /**
     * forward: y = x0 + x1 + ... (all of one shape; no broadcasting), summed left to right.
     * backward: dxk += dy for each input.
     */
    public static Tensor add(Tensor... inputs) {
        if (inputs.length == 0) throw new IllegalArgumentException("add: needs at least one tensor");
        int[] s = inputs[0].shape();
        for (Tensor t : inputs)
            if (!Arrays.equals(t.shape(), s))
                throw new IllegalArgumentException("add: shapes " + shapes(inputs) + " must all be equal (no broadcasting)");
        float[] y = BufferPool.floats(inputs[0].numel());
        System.arraycopy(inputs[0].data(), 0, y, 0, y.length);
        for (int k = 1; k < inputs.length; k++) {
            float[] a = inputs[k].data();
            for (int i = 0; i < y.length; i++) y[i] += a[i];
        }
        Tensor result = new Tensor(y, s);
        if (Node.needsGrad(inputs)) result.attach(new Node(inputs) {
            @Override
            protected void backward(float[] dy) {
                for (Tensor t : inputs) {
                    if (t.requiresGrad()) addGradient(t, dx -> System.arraycopy(dy, 0, dx, 0, dy.length));
                }
            }

            @Override
            public String name() {
                return "AddN";
            }
        });
        return result;
    }

    /** Dimensions startDim..endDim (inclusive, negatives from the end) merged into one; shares storage. */
    public static Tensor flatten(Tensor x, int startDim, int endDim) {
        int[] s = x.shape();
        if (s.length == 0) return View.reshape(x, 1);
        int a = Shape.dim(startDim, s.length), b = Shape.dim(endDim, s.length);
        if (a > b)
            throw new IllegalArgumentException("flatten: start_dim " + startDim + " comes after end_dim " + endDim
                    + " for a tensor of rank " + s.length);
        int[] out = new int[s.length - (b - a)];
        int k = 0;
        for (int i = 0; i < a; i++) out[k++] = s[i];
        int merged = 1;
        for (int i = a; i <= b; i++) merged *= s[i];
        out[k++] = merged;
        for (int i = b + 1; i < s.length; i++) out[k++] = s[i];
        return View.reshape(x, out);
    }

    /** Dimension {@code dim} split into {@code sizes} (one may be -1; their product must be its size); shares storage. */
    public static Tensor unflatten(Tensor x, int dim, int... sizes) {
        int[] s = x.shape();
        int d = Shape.dim(dim, s.length);
        int[] resolved;
        try {
            resolved = Shape.infer(s[d], sizes);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unflatten: sizes " + Arrays.toString(sizes) + " do not hold the " + s[d]
                    + " elements of dimension " + dim + " of " + Shape.str(s) + " (their product must equal it)");
        }
        int[] out = new int[s.length - 1 + resolved.length];
        int k = 0;
        for (int i = 0; i < d; i++) out[k++] = s[i];
        for (int r : resolved) out[k++] = r;
        for (int i = d + 1; i < s.length; i++) out[k++] = s[i];
        return View.reshape(x, out);
    }

    private static String shapes(Tensor... ts) {
        StringBuilder sb = new StringBuilder();
        for (Tensor t : ts) sb.append(sb.isEmpty() ? "" : ", ").append(Shape.str(t.shape()));
        return sb.toString();
    }
}
