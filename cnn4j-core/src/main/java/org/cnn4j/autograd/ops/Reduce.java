package org.cnn4j.autograd.ops;

import org.cnn4j.autograd.Node;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.BufferPool;
import org.cnn4j.tensor.Tensor;

/** Reductions. A dimension {@code d} splits the data into [outer, size(d), inner] blocks. */
public final class Reduce {
    private Reduce() {}

    /** forward: y = sum of all x (accumulated in double). backward: dx += dy. */
    public static Tensor sumAll(Tensor x) {
        float[] a = x.data();
        double s = 0;
        for (float v : a) s += v;
        Tensor out = Tensor.scalar((float) s);
        if (Node.needsGrad(x)) out.attach(new Node(x) {
            @Override
            protected void backward(float[] dy) {
                float[] dx = gradOf(x);
                float g = dy[0];
                for (int i = 0; i < dx.length; i++) dx[i] += g;
            }

            @Override
            public String name() {
                return "Sum";
            }
        });
        return out;
    }

    /** forward: y[o, i] = sum_j x[o, j, i]. backward: dx[o, j, i] += dy[o, i]. */
    public static Tensor sum(Tensor x, int dim, boolean keepDim) {
        int[] shape = x.shape();
        int d = Shape.dim(dim, shape.length);
        int outer = 1, len = shape[d], inner = 1;
        for (int i = 0; i < d; i++) outer *= shape[i];
        for (int i = d + 1; i < shape.length; i++) inner *= shape[i];
        float[] a = x.data(), y = BufferPool.zeros(outer * inner);
        for (int o = 0; o < outer; o++)
            for (int j = 0; j < len; j++) {
                int base = (o * len + j) * inner;
                for (int i = 0; i < inner; i++) y[o * inner + i] += a[base + i];
            }
        Tensor out = new Tensor(y, reducedShape(shape, d, keepDim));
        final int fOuter = outer, fInner = inner;
        if (Node.needsGrad(x)) out.attach(new Node(x) {
            @Override
            protected void backward(float[] dy) {
                float[] dx = gradOf(x);
                for (int o = 0; o < fOuter; o++)
                    for (int j = 0; j < len; j++) {
                        int base = (o * len + j) * fInner;
                        for (int i = 0; i < fInner; i++) dx[base + i] += dy[o * fInner + i];
                    }
            }

            @Override
            public String name() {
                return "SumDim";
            }
        });
        return out;
    }

    /** Maximum values along {@code dim} (dimension removed). Not recorded on the tape. */
    public static Tensor max(Tensor x, int dim) {
        int[] shape = x.shape();
        int d = Shape.dim(dim, shape.length);
        int[] idx = argmax(x, d);
        int inner = 1;
        for (int i = d + 1; i < shape.length; i++) inner *= shape[i];
        float[] a = x.data(), y = new float[idx.length];
        for (int p = 0; p < idx.length; p++) {
            int o = p / inner, i = p % inner;
            y[p] = a[(o * shape[d] + idx[p]) * inner + i];
        }
        return new Tensor(y, reducedShape(shape, d, false));
    }

    /** Index of the first maximum along {@code dim}, over the remaining dimensions in row-major order. NaN counts as maximal. */
    public static int[] argmax(Tensor x, int dim) {
        int[] shape = x.shape();
        int d = Shape.dim(dim, shape.length);
        int outer = 1, len = shape[d], inner = 1;
        for (int i = 0; i < d; i++) outer *= shape[i];
        for (int i = d + 1; i < shape.length; i++) inner *= shape[i];
        float[] a = x.data();
        int[] out = new int[outer * inner];
        for (int o = 0; o < outer; o++)
            for (int i = 0; i < inner; i++) {
                int best = 0;
                float bv = a[o * len * inner + i];
                for (int j = 1; j < len && !Float.isNaN(bv); j++) {
                    float v = a[(o * len + j) * inner + i];
                    if (v > bv || Float.isNaN(v)) {
                        bv = v;
                        best = j;
                    }
                }
                out[o * inner + i] = best;
            }
        return out;
    }

    static int[] reducedShape(int[] shape, int d, boolean keepDim) {
        if (keepDim) {
            int[] s = shape.clone();
            s[d] = 1;
            return s;
        }
        int[] s = new int[shape.length - 1];
        for (int i = 0, j = 0; i < shape.length; i++) if (i != d) s[j++] = shape[i];
        return s;
    }
}
